package dev.sift.security;

import com.nimbusds.jose.jwk.JWK;
import java.util.List;

/**
 * A bean contributing public keys to trust besides the configured ones; the gateway uses it to
 * trust the key it signs guest tokens with. Called once, when the decoder is built.
 */
@FunctionalInterface
public interface TrustedKeyProvider {

    List<JWK> trustedKeys();
}
