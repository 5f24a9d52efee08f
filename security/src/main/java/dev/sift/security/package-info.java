/**
 * Bearer-token security shared by the gateway and every WebFlux service: which keys are trusted,
 * how a token is verified (RS256 and other asymmetric algorithms only, RFC 8725), the default
 * filter chain, and the caller's {@link dev.sift.security.SiftIdentity}.
 */
@NullMarked
package dev.sift.security;

import org.jspecify.annotations.NullMarked;
