package dev.sift.security;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.sift.testing.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What one token costs to verify (JMH; by hand, not part of the build), 2048-bit RSA key, one thread:
 * <ul>
 *   <li>{@code signature}: Nimbus parses the compact JWS and checks the RS256 signature (the JDK's SHA256withRSA);</li>
 *   <li>{@code decodeUncached}: the whole {@link SiftJwtDecoder#decode} — header rules, key lookup by {@code kid},
 *       signature, claim validation — with its verified-token cache off, i.e. what every new token costs;</li>
 *   <li>{@code decodeCached}: the same token again, answered from the verified-token cache (what a client's
 *       second and later requests cost).</li>
 * </ul>
 * Run from {@code security/} after {@code ./mvnw -pl security -am test-compile}:
 * {@code java -cp target/test-classes:target/classes:<test classpath> org.openjdk.jmh.Main Rs256VerificationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 2, jvmArgsAppend = "-Xmx512m")
public class Rs256VerificationBenchmark {

    private String token;
    private RSASSAVerifier verifier;
    private SiftJwtDecoder uncached;
    private SiftJwtDecoder cached;

    @Setup
    public void setUp() throws Exception {
        TestTokens tokens = TestTokens.generate();
        token = tokens.mint("bench-user", "5b0c1a8e-4a0e-4d8f-9a51-3f7f0e1a2b3c", "MEMBER");
        verifier = new RSASSAVerifier(tokens.key().toRSAPublicKey());
        TrustedKeys keys = TrustedKeys.of(List.of(tokens.key()));
        uncached = new SiftJwtDecoder(keys, "sift", "sift-api", Duration.ofSeconds(30), Clock.systemUTC(), 0);
        cached = new SiftJwtDecoder(keys, "sift", "sift-api", Duration.ofSeconds(30), Clock.systemUTC());
        if (uncached.decode(token).block() == null || cached.decode(token).block() == null) {
            throw new IllegalStateException("the benchmark token does not verify");
        }
    }

    @Benchmark
    public boolean signature() throws Exception {
        return SignedJWT.parse(token).verify(verifier);
    }

    @Benchmark
    public Jwt decodeUncached() {
        return uncached.decode(token).block();
    }

    @Benchmark
    public Jwt decodeCached() {
        return cached.decode(token).block();
    }
}
