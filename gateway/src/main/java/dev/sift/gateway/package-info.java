/** The edge: verifies RS256 tokens, issues guest tokens, routes /api/** to the services. */
@NullMarked
package dev.sift.gateway;

import org.jspecify.annotations.NullMarked;
