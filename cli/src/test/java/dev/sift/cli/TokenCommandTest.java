package dev.sift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sift.testing.TestTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

    private static final TestTokens KEY = TestTokens.generate();
    private static final String ORG = "3f2b8c1d-9e4a-4b7c-8d6e-5f4a3b2c1d0e";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int sift(String... args) {
        return Main.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private Path privateKey() throws Exception {
        Path file = dir.resolve("private.pem");
        Files.writeString(file, KEY.privateKeyPem());
        return file;
    }

    @Test
    void printsTokenThatVerifiesWithThePublicKeyAndCarriesTheClaims() throws Exception {
        int status = sift("token", "--sub", "user-1", "--org", ORG, "--roles", "MEMBER,ADMIN", "--key", privateKey().toString(),
                "--ttl", "PT30M");

        assertThat(status).isEqualTo(Main.OK);
        SignedJWT jwt = SignedJWT.parse(out.toString().strip());
        assertThat(jwt.verify(new RSASSAVerifier(KEY.key().toRSAPublicKey()))).isTrue();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(KEY.keyId());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("user-1");
        assertThat(claims.getStringClaim("org")).isEqualTo(ORG);
        assertThat(claims.getStringListClaim("roles")).containsExactly("MEMBER", "ADMIN");
        assertThat(claims.getIssuer()).isEqualTo("sift");
        assertThat(claims.getAudience()).containsExactly("sift-api");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void usesGivenKidIssuerAndAudience() throws Exception {
        sift("token", "--sub", "u", "--org", ORG, "--roles", "GUEST", "--key", privateKey().toString(),
                "--kid", "k-2026", "--issuer", "other", "--audience", "aud-2");

        SignedJWT jwt = SignedJWT.parse(out.toString().strip());
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("k-2026");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("other");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("aud-2");
    }

    @Test
    void unknownRoleIsBadUsageWithOneLineReason() throws Exception {
        assertThat(sift("token", "--sub", "u", "--org", ORG, "--roles", "ROOT", "--key", privateKey().toString()))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString()).startsWith("sift: unknown role 'ROOT'").hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void organisationMustBeAUuid() throws Exception {
        assertThat(sift("token", "--sub", "u", "--org", "acme", "--roles", "MEMBER", "--key", privateKey().toString()))
                .isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--org must be a UUID");
    }

    @Test
    void missingOrUnreadableKeyIsBadUsage() throws Exception {
        assertThat(sift("token", "--sub", "u", "--org", ORG, "--roles", "MEMBER")).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("--key");

        Path publicOnly = dir.resolve("public.pem");
        Files.copy(KEY.publicKeyPem(), publicOnly);
        StringWriter err2 = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err2), "token", "--sub", "u", "--org", ORG,
                "--roles", "MEMBER", "--key", publicOnly.toString())).isEqualTo(Main.USAGE);
        assertThat(err2.toString()).contains("PKCS#8");
    }
}
