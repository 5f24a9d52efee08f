package dev.sift.security;

import com.nimbusds.jose.jwk.JWK;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The public keys a service trusts, by {@code kid}: fixed keys (files, contributed beans) plus, when
 * configured, a JWK set fetched over HTTP. The set is cached; a {@code kid} not in it triggers a
 * fetch, at most one per {@code refetchInterval}, so rotated-in keys are picked up without letting
 * forged {@code kid}s drive traffic to the key server.
 */
public final class TrustedKeys {

    private static final Logger log = LoggerFactory.getLogger(TrustedKeys.class);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, JWK> fixed;
    private final @Nullable URI jwkSetUri;
    private final Duration cacheTtl;
    private final Duration refetchInterval;
    private final Clock clock;
    private final WebClient http;
    private final AtomicReference<Fetched> fetched = new AtomicReference<>(new Fetched(Map.of(), Instant.EPOCH));
    private final AtomicReference<@Nullable Mono<Map<String, JWK>>> inFlight = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    /** The fetched JWK set and when the last fetch was started. */
    private record Fetched(Map<String, JWK> keys, Instant attemptedAt) {
    }

    public TrustedKeys(Collection<JWK> fixedKeys, @Nullable URI jwkSetUri, Duration cacheTtl, Duration refetchInterval,
            Clock clock) {
        Map<String, JWK> byKid = new LinkedHashMap<>();
        for (JWK key : fixedKeys) {
            if (key.getKeyID() == null) {
                throw new IllegalArgumentException("a trusted key needs a kid");
            }
            byKid.put(key.getKeyID(), key.toPublicJWK());
        }
        this.fixed = Map.copyOf(byKid);
        this.jwkSetUri = jwkSetUri;
        this.cacheTtl = cacheTtl;
        this.refetchInterval = refetchInterval;
        this.clock = clock;
        // WebClient, like Spring Security's own JWK-set decoder: non-blocking on the event loop, and it
        // follows no redirects unless told to.
        this.http = WebClient.create();
    }

    /** Only fixed keys, as tests and the CLI use them. */
    public static TrustedKeys of(Collection<JWK> keys) {
        return new TrustedKeys(keys, null, Duration.ofMinutes(5), Duration.ofSeconds(30), Clock.systemUTC());
    }

    /** The trusted key with this {@code kid}, or empty when there is none (also when the key server is down). */
    public Mono<JWK> find(String kid) {
        JWK key = fixed.get(kid);
        if (key != null) {
            return Mono.just(key);
        }
        if (jwkSetUri == null) {
            return Mono.empty();
        }
        Instant now = clock.instant();
        Fetched current = fetched.get();
        JWK cached = current.keys().get(kid);
        if (cached != null && current.attemptedAt().plus(cacheTtl).isAfter(now)) {
            return Mono.just(cached);
        }
        // A fetch in flight decides: joining it, rather than answering from the set as it was, is what keeps
        // a burst of valid tokens at start-up from being refused before the first set has arrived.
        Mono<Map<String, JWK>> running = inFlight.get();
        if (running != null) {
            return running.mapNotNull(keys -> keys.get(kid));
        }
        current = fetched.get(); // a fetch may have completed between the two reads
        cached = current.keys().get(kid);
        if (current.attemptedAt().plus(refetchInterval).isAfter(now)) {
            return Mono.justOrEmpty(cached);
        }
        return refetch(current).mapNotNull(keys -> keys.get(kid));
    }

    /** Every fixed key and the last fetched set: what the gateway publishes as its JWK set. */
    public List<JWK> knownKeys() {
        Map<String, JWK> all = new LinkedHashMap<>(fetched.get().keys());
        all.putAll(fixed);
        return List.copyOf(all.values());
    }

    /**
     * Changes whenever the fetched key set changes (a key added or removed); results computed with the
     * keys of an older generation (such as cached verifications) must be computed again.
     */
    public long generation() {
        return generation.get();
    }

    /**
     * How long a verification made with these keys may be reused: keys from files never change while the
     * service runs, a fetched set is trusted only as long as it is cached.
     */
    public Duration reuseLimit(Duration wanted) {
        return jwkSetUri == null || wanted.compareTo(cacheTtl) <= 0 ? wanted : cacheTtl;
    }

    public Optional<URI> jwkSetUri() {
        return Optional.ofNullable(jwkSetUri);
    }

    private Mono<Map<String, JWK>> refetch(Fetched seen) {
        Mono<Map<String, JWK>> running = inFlight.get();
        if (running != null) {
            return running;
        }
        Instant started = clock.instant();
        Mono<Map<String, JWK>> fetch = Mono.defer(() -> http.get().uri(jwkSetUri).accept(MediaType.APPLICATION_JSON)
                        .retrieve().bodyToMono(String.class).defaultIfEmpty(""))
                .timeout(FETCH_TIMEOUT)
                .map(TrustedKeys::parse)
                .onErrorResume(e -> {
                    log.warn("Cannot fetch the JWK set {}: {}", jwkSetUri, e.toString());
                    return Mono.just(seen.keys());
                })
                // Publish the result before the fetch stops being "in flight", so no caller sees neither.
                .doOnNext(keys -> {
                    if (!keys.equals(seen.keys())) {
                        generation.incrementAndGet();
                    }
                    fetched.set(new Fetched(keys, started));
                    inFlight.set(null);
                })
                .doOnCancel(() -> inFlight.set(null))
                .cache();
        if (!inFlight.compareAndSet(null, fetch)) {
            return refetch(seen);
        }
        // Mark the attempt now: callers that miss after this fetch ends stay within the refetch interval.
        // Only if nothing newer was stored meanwhile (a caller that joined may already have completed it).
        fetched.compareAndSet(seen, new Fetched(seen.keys(), started));
        return fetch;
    }

    private static Map<String, JWK> parse(String body) {
        try {
            Map<String, JWK> keys = new LinkedHashMap<>();
            for (JWK key : KeyFiles.parsePublicKeys(body)) {
                keys.put(key.getKeyID(), key);
            }
            return Map.copyOf(keys);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** How many keys are fixed; for the start-up log line. */
    int fixedCount() {
        return fixed.size();
    }
}
