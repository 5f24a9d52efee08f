package dev.sift.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sift token}: signs an access token (docs/contracts.md, Tokens) with a PKCS#8 RSA private
 * key, for development, tests and load generation. The {@code kid} defaults to the key's RFC 7638
 * thumbprint, which is how services name a key they trust from a PEM file.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a signed RS256 access token for a subject, organisation and roles.")
final class TokenCommand implements Callable<Integer> {

    static final Set<String> ROLES = Set.of("GUEST", "MEMBER", "INSTRUCTOR", "ADMIN", "OPERATOR");

    @Spec
    @SuppressWarnings("NullAway.Init")
    private CommandSpec spec;

    @Option(names = "--sub", required = true, description = "Subject (user id).")
    private String subject = "";

    @Option(names = "--org", required = true, description = "Organisation id (a UUID).")
    private String organization = "";

    @Option(names = "--roles", required = true, split = ",", description = "Roles: GUEST, MEMBER, INSTRUCTOR, ADMIN, OPERATOR.")
    private List<String> roles = List.of();

    @Option(names = "--key", required = true, description = "RSA private key, PKCS#8 PEM (BEGIN PRIVATE KEY).")
    private Path key = Path.of("");

    @Option(names = "--kid", description = "Key id for the header; default: the key's SHA-256 thumbprint.")
    private @Nullable String kid;

    @Option(names = "--ttl", defaultValue = "PT1H", description = "Lifetime, ISO-8601 (default: ${DEFAULT-VALUE}).")
    private Duration ttl = Duration.ofHours(1);

    @Option(names = "--issuer", defaultValue = "sift", description = "iss (default: ${DEFAULT-VALUE}).")
    private String issuer = "sift";

    @Option(names = "--audience", defaultValue = "sift-api", description = "aud (default: ${DEFAULT-VALUE}).")
    private String audience = "sift-api";

    @Override
    public Integer call() {
        validate();
        RSAKey signingKey = readKey(key, kid);
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer).audience(audience).subject(subject)
                .claim("org", organization).claim("roles", roles)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println(jwt.serialize());
        return Main.OK;
    }

    private void validate() {
        if (subject.isBlank()) {
            throw new IllegalArgumentException("--sub must not be blank");
        }
        try {
            UUID.fromString(organization);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--org must be a UUID, not '" + organization + "'");
        }
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "' (expected one of GUEST, MEMBER, INSTRUCTOR, ADMIN, OPERATOR)");
            }
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("--ttl must be positive");
        }
    }

    static RSAKey readKey(Path file, @Nullable String keyId) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --key " + file + ": " + e.getMessage(), e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("--key " + file + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY); "
                    + "convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to))));
            if (!(key instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalArgumentException("--key " + file + " has no public part (not an RSA CRT key)");
            }
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            RSAKey jwk = new RSAKey.Builder(publicKey).privateKey(crt).build();
            return new RSAKey.Builder(jwk).keyID(keyId == null || keyId.isBlank() ? jwk.computeThumbprint().toString() : keyId).build();
        } catch (GeneralSecurityException | IllegalArgumentException | JOSEException e) {
            throw new IllegalArgumentException("--key " + file + " is not an RSA private key: " + e.getMessage(), e);
        }
    }
}
