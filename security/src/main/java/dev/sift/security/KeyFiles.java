package dev.sift.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * Reads and writes the key files Sift uses: PEM public keys (SPKI), PKCS#8 PEM private keys, and
 * JWK / JWK-set JSON. Only asymmetric keys are accepted; a secret key in a trust file is an error.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** The public keys in one file, each with a {@code kid} (its thumbprint when the file gives none). */
    public static List<JWK> readPublicKeys(Resource resource) {
        String text;
        try (InputStream in = resource.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read trusted key " + resource.getDescription() + ": " + e.getMessage(), e);
        }
        try {
            return parsePublicKeys(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("bad trusted key " + resource.getDescription() + ": " + e.getMessage(), e);
        }
    }

    static List<JWK> parsePublicKeys(String text) {
        if (text.startsWith("{")) {
            try {
                List<JWK> keys = text.contains("\"keys\"") ? JWKSet.parse(text).getKeys() : List.of(JWK.parse(text));
                List<JWK> result = new ArrayList<>();
                for (JWK key : keys) {
                    result.add(withKeyId(asymmetricPublic(key), key.getKeyID()));
                }
                return result;
            } catch (ParseException e) {
                throw new IllegalArgumentException("not a JWK or JWK set: " + e.getMessage(), e);
            }
        }
        return List.of(toJwk(publicKeyFromPem(text), null));
    }

    /** A PEM {@code PUBLIC KEY} (SPKI), RSA or EC. */
    public static PublicKey publicKeyFromPem(String pem) {
        byte[] der = pemBody(pem, "PUBLIC KEY");
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("not an RSA or EC public key");
    }

    /** A PKCS#8 PEM {@code PRIVATE KEY}, RSA only: the gateway and the CLI sign RS256. */
    public static RSAPrivateCrtKey rsaPrivateKeyFromPem(String pem) {
        byte[] der = pemBody(pem, "PRIVATE KEY");
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (key instanceof RSAPrivateCrtKey crt) {
                return crt;
            }
            throw new IllegalArgumentException("the private key has no public part (not a CRT key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    /** The signing JWK (private and public parts) for an RSA private key; {@code kid} is the thumbprint when null. */
    public static RSAKey signingKey(RSAPrivateCrtKey privateKey, @Nullable String keyId) {
        try {
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            RSAKey key = new RSAKey.Builder(publicKey).privateKey(privateKey).keyUse(KeyUse.SIGNATURE).build();
            return new RSAKey.Builder(key).keyID(keyId == null || keyId.isBlank() ? thumbprint(key) : keyId).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A public key as a JWK with {@code use: sig}; {@code kid} is the thumbprint when null. */
    public static JWK toJwk(PublicKey key, @Nullable String keyId) {
        JWK jwk;
        if (key instanceof RSAPublicKey rsa) {
            jwk = new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build();
        } else if (key instanceof ECPublicKey ec) {
            jwk = new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).keyUse(KeyUse.SIGNATURE).build();
        } else {
            throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
        }
        return withKeyId(jwk, keyId);
    }

    /** The SPKI PEM of a public key, as {@code openssl pkey -pubout} writes it. */
    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** The PKCS#8 PEM of a private key. */
    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /** The RFC 7638 SHA-256 thumbprint, base64url: the {@code kid} of a key that names none. */
    public static String thumbprint(JWK key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static JWK asymmetricPublic(JWK key) {
        if (!(key instanceof RSAKey) && !(key instanceof ECKey)) {
            throw new IllegalArgumentException("only RSA and EC keys can be trusted, not " + key.getKeyType());
        }
        return key.toPublicJWK();
    }

    private static JWK withKeyId(JWK key, @Nullable String keyId) {
        String kid = keyId == null || keyId.isBlank() ? thumbprint(key) : keyId;
        if (key instanceof RSAKey rsa) {
            return new RSAKey.Builder(rsa).keyID(kid).build();
        }
        return new ECKey.Builder((ECKey) key).keyID(kid).build();
    }

    private static byte[] pemBody(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("expected a PEM block '" + begin + "'");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
