package dev.sift.gateway.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.sift.security.KeyFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * The key the gateway signs guest tokens with: the configured PKCS#8 PEM, or a key pair generated
 * at start (development and the local stack), whose public PEM is written to a file so that
 * operators and tools can trust it.
 *
 * @param jwk private and public parts, with its {@code kid}
 * @param generatedPublicKeyPem where a generated key's public PEM was written; empty for a configured key
 */
public record SigningKey(RSAKey jwk, Optional<Path> generatedPublicKeyPem) {

    static SigningKey load(Resource privateKeyLocation, @Nullable String keyId) {
        try (InputStream in = privateKeyLocation.getInputStream()) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return new SigningKey(KeyFiles.signingKey(KeyFiles.rsaPrivateKeyFromPem(pem), keyId), Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sift.security.jwt.private-key-location "
                    + privateKeyLocation.getDescription(), e);
        }
    }

    static SigningKey generate(@Nullable String keyId, @Nullable Path directory) {
        try {
            RSAKey generated = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).generate();
            RSAKey key = KeyFiles.signingKey((java.security.interfaces.RSAPrivateCrtKey) generated.toPrivateKey(), keyId);
            Path dir = directory == null ? Files.createTempDirectory("sift-gateway-") : Files.createDirectories(directory);
            Path pem = dir.resolve("jwt-public-" + key.getKeyID() + ".pem");
            Files.writeString(pem, KeyFiles.toPem(key.toPublicKey()), StandardCharsets.US_ASCII);
            return new SigningKey(key, Optional.of(pem));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String keyId() {
        return jwk.getKeyID();
    }
}
