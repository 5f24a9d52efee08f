/**
 * The gateway as token issuer: its signing key (configured or generated at start), guest tokens
 * from {@code POST /auth/guest}, and the public keys at {@code GET /.well-known/jwks.json}.
 */
@NullMarked
package dev.sift.gateway.tokens;

import org.jspecify.annotations.NullMarked;
