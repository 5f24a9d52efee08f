package dev.sift.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A second, independent way to build tokens: JSON assembled by hand and signed with the JDK's
 * {@link Signature} and {@link Mac}, so the tests do not only check Nimbus against itself and
 * can produce what Nimbus refuses to build (alg none, HS256 keyed with a public key).
 */
final class HandRolledJws {

    private HandRolledJws() {
    }

    static String rs256(String headerJson, String payloadJson, PrivateKey key) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hs256(String headerJson, String payloadJson, byte[] secret) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return signingInput + "." + b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(String headerJson, String payloadJson) {
        return b64(headerJson) + "." + b64(payloadJson) + ".";
    }

    /** Claims as a Sift token carries them, valid for an hour from now. */
    static String payload(String subject, String organizationId, String rolesJson) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"iss\":\"sift\",\"aud\":\"sift-api\",\"sub\":\"" + subject + "\",\"org\":\"" + organizationId
                + "\",\"roles\":" + rolesJson + ",\"iat\":" + now + ",\"exp\":" + (now + 3600) + ",\"jti\":\"" + java.util.UUID.randomUUID() + "\"}";
    }

    static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
