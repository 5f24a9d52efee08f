/**
 * What the gateway does to every routed request: removes client-sent identity headers, limits
 * request bodies and rates, and answers its own failures (and a downstream's absence) as problem+json.
 */
@NullMarked
package dev.sift.gateway.edge;

import org.jspecify.annotations.NullMarked;
