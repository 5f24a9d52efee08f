package dev.sift.security;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.sift.testing.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Cost of verifying one token, by hand (not part of the build): a timed loop after a warm-up,
 * first the bare RS256 signature check (Nimbus over the JDK's SHA256withRSA, 2048-bit key), then
 * the whole {@link SiftJwtDecoder#decode} (parse, key lookup, signature, claim validation).
 * Run: {@code java -cp <test classpath> dev.sift.security.Rs256VerificationBenchmark}.
 */
public final class Rs256VerificationBenchmark {

    private Rs256VerificationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        TestTokens tokens = TestTokens.generate();
        String token = tokens.mint("bench-user", "5b0c1a8e-4a0e-4d8f-9a51-3f7f0e1a2b3c", "MEMBER");
        RSASSAVerifier verifier = new RSASSAVerifier(tokens.key().toRSAPublicKey());
        SiftJwtDecoder decoder = new SiftJwtDecoder(TrustedKeys.of(List.of(tokens.key())), "sift", "sift-api",
                Duration.ofSeconds(30), Clock.systemUTC());
        int warmUp = 20_000;
        int measured = 50_000;

        for (int i = 0; i < warmUp; i++) {
            SignedJWT.parse(token).verify(verifier);
        }
        long start = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            if (!SignedJWT.parse(token).verify(verifier)) {
                throw new IllegalStateException("signature did not verify");
            }
        }
        double signatureMicros = (System.nanoTime() - start) / 1_000.0 / measured;

        for (int i = 0; i < warmUp; i++) {
            decoder.decode(token).block();
        }
        start = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            decoder.decode(token).block();
        }
        double decodeMicros = (System.nanoTime() - start) / 1_000.0 / measured;

        System.out.printf("JVM %s, %d cores; %d warm-up + %d measured iterations, one thread%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), warmUp, measured);
        System.out.printf("RS256 parse + signature check: %.1f us/token (%.0f/s)%n", signatureMicros, 1e6 / signatureMicros);
        System.out.printf("SiftJwtDecoder.decode (full):   %.1f us/token (%.0f/s)%n", decodeMicros, 1e6 / decodeMicros);
    }
}
