package dev.sift.report.reports;

import dev.sift.security.BearerTokenConverter;
import dev.sift.security.SiftIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers {@code GET /api/instructors/{id}/report} ahead of Spring Security's filter chain when the answer is
 * already in memory, so that a burst of identical requests costs a token-cache hit and a write each instead of
 * the whole security chain, handler mapping and JSON encoding (docs/performance.md; the report-service README,
 * Report requests). It decides nothing the regular path would decide differently:
 * <ul>
 *   <li>the bearer token is verified by the same {@link ReactiveJwtDecoder} bean the security chain uses, and the
 *       role rule is the controller's ({@link ReportController#mayRead});</li>
 *   <li>the answer is what {@link ReportRequests} already knows: the completed report of the current period, a
 *       GENERATING seen moments ago, or the outcome of the lookup in flight for the same report;</li>
 *   <li>the response carries the headers of the security chain's own {@link HttpHeaderWriterWebFilter} (run here,
 *       the same instance), and the body bytes are those of the application's {@link JsonMapper}, which the
 *       WebFlux codecs write with.</li>
 * </ul>
 * Anything else falls through to the chain unchanged: another method or path, a query string, an {@code Origin}
 * (CORS), an {@code Accept} other than JSON, a missing, malformed or invalid token, a role that may not read,
 * nothing known, so every error stays the chain's or the controller's problem+json. A request that shared a lookup
 * which failed falls through with that lookup ({@link #SHARED_LOOKUP}), so the controller answers it with the same
 * error as every other request that shared it.
 *
 * <p>Runs only when the application has exactly one {@link SecurityWebFilterChain} (report-service has the
 * security module's default chain); with none or several it lets everything through, since it could not tell
 * which rules the regular path applies.
 */
@Component
class ReportFastPath implements WebFilter, Ordered, ReportAnswers {

    /** The exchange attribute under which a request that shared a failed lookup carries it to the controller. */
    static final String SHARED_LOOKUP = ReportFastPath.class.getName() + ".sharedLookup";
    /** Spring Security's {@code WebFilterChainProxy} is ordered at -100 ({@code @EnableWebFluxSecurity}). */
    static final int ORDER = -101;
    static final String PATTERN = "/api/instructors/{id}/report";
    /** Counts the answers written here, by status; the rest went through the chain. */
    static final String ANSWERS = "sift.report.fast.path.answers";

    private static final Logger log = LoggerFactory.getLogger(ReportFastPath.class);
    private static final String PREFIX = "/api/instructors/";
    private static final String SUFFIX = "/report";
    /** Longer ids are left to the regular path (and are no instructor id anyway). */
    private static final int MAX_ID_LENGTH = 200;

    private final ReactiveJwtDecoder decoder;
    private final ReportRequests requests;
    private final JsonMapper json;
    private final boolean enabled;
    private final @Nullable WebFilter securityHeaders;
    private final byte[] generatingBody;
    private final String retryAfterSeconds;
    /** The JSON of each completed report, written once; kept with the report it was written from. */
    private final Map<String, Body> bodies = new ConcurrentHashMap<>();
    private final Counter reports;
    private final Counter generating;

    private record Body(InstructorReport report, byte[] json) {
    }

    ReportFastPath(ReactiveJwtDecoder decoder, ReportRequests requests, ReportProperties properties, JsonMapper json,
            ObjectProvider<SecurityWebFilterChain> chains, MeterRegistry meters) {
        this.decoder = decoder;
        this.requests = requests;
        this.json = json;
        List<SecurityWebFilterChain> all = chains.orderedStream().toList();
        this.enabled = all.size() == 1;
        if (!enabled) {
            log.warn("{} security filter chains: the report fast path is off, every report request takes the regular path",
                    all.size());
        }
        // The chain's filters are a fixed list built at startup (Flux.fromIterable): collecting them does not wait.
        this.securityHeaders = !enabled ? null : all.getFirst().getWebFilters()
                .filter(HttpHeaderWriterWebFilter.class::isInstance).next().block();
        // The controller's own 202 body and Retry-After (ReportController), written the same way.
        this.generatingBody = json.writeValueAsBytes(Map.of("status", "GENERATING"));
        this.retryAfterSeconds = Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
        this.reports = Counter.builder(ANSWERS).tag("status", "200").description("Report requests answered before the "
                + "security chain from memory").register(meters);
        this.generating = Counter.builder(ANSWERS).tag("status", "202").description("Report requests answered before the "
                + "security chain from memory").register(meters);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String id = enabled ? instructorId(request) : null;
        String token = id == null ? null : token(request.getHeaders());
        if (id == null || token == null) {
            return chain.filter(exchange);
        }
        return Mono.defer(() -> decoder.decode(token))
                .mapNotNull(jwt -> decision(jwt, id))
                // An invalid token (or a failure to verify it or to decide) is the chain's, with its own errors.
                .onErrorResume(e -> Mono.empty())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(decision -> decision.isPresent() ? answer(exchange, chain, decision.get()) : chain.filter(exchange));
    }

    /** What the connection layer may do with a report request: answer it now, wait for a lookup, or hand it on. */
    sealed interface Decision permits Immediate, Pending {
    }

    /** An answer known at once: its status and body (the 202's {@code Retry-After} is in the captured headers). */
    record Immediate(int status, byte[] body) implements Decision {
    }

    /** The lookup in flight for the same report, which this request may share like {@link #filter}'s do. */
    record Pending(Mono<ReportRequests.Answer> lookup) implements Decision {
    }

    /**
     * What a report request for {@code id} with {@code token} gets without the regular path, by the same rules as
     * {@link #filter}: the token verified by the chain's decoder (only when that completes at once, as a cached token
     * does), the controller's role rule, and an answer already known ({@link Immediate}) or a lookup in flight for
     * it ({@link Pending}). Null whenever the regular path has to decide. Not counted: the caller {@link #count}s
     * what it writes.
     */
    @Override
    public @Nullable Decision decide(String id, String token) {
        if (!enabled) {
            return null;
        }
        Jwt[] verified = new Jwt[1];
        Disposable decoding = decoder.decode(token).subscribe(jwt -> verified[0] = jwt, error -> { });
        Jwt jwt = verified[0];
        if (jwt == null) {
            // Not at once (a token seen for the first time, keys being fetched) or refused: the chain decides.
            decoding.dispose();
            return null;
        }
        return decision(jwt, id);
    }

    /** Both layers' decision for a verified caller: the controller's role rule, then what is known of the report. */
    private @Nullable Decision decision(Jwt jwt, String id) {
        if (!ReportController.mayRead(SiftIdentity.of(jwt), id)) {
            return null;
        }
        ReportRequests.Known known = requests.known(id);
        ReportRequests.Answer answer = known.answer();
        if (answer != null) {
            return immediate(answer);
        }
        Mono<ReportRequests.Answer> shared = known.lookup();
        return shared == null ? null : new Pending(shared);
    }

    /** The status and body of an answer ({@link #respond} adds the 202's {@code Retry-After}). */
    @Override
    public Immediate immediate(ReportRequests.Answer answer) {
        InstructorReport report = answer.report();
        return report != null ? new Immediate(200, body(report)) : new Immediate(202, generatingBody);
    }

    /** Counts an {@link Immediate} answer that was written, with the answers written by {@link #filter}. */
    @Override
    public void count(Immediate answer) {
        (answer.status() == 200 ? reports : generating).increment();
    }

    private Mono<Void> answer(ServerWebExchange exchange, WebFilterChain chain, Decision decision) {
        return switch (decision) {
            case Immediate immediate -> write(exchange, immediate);
            case Pending pending -> pending.lookup().materialize().flatMap(signal -> {
                ReportRequests.Answer answer = signal.get();
                if (answer != null) {
                    return write(exchange, immediate(answer));
                }
                exchange.getAttributes().put(SHARED_LOOKUP, pending.lookup());
                return chain.filter(exchange);
            });
        };
    }

    private Mono<Void> write(ServerWebExchange exchange, Immediate answer) {
        // The regular path's handler mapping names the route in the http.server.requests observation; so does this.
        ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .ifPresent(context -> context.setPathPattern(PATTERN));
        return securityHeaders == null ? respond(exchange, answer)
                : securityHeaders.filter(exchange, headed -> respond(headed, answer));
    }

    private Mono<Void> respond(ServerWebExchange exchange, Immediate answer) {
        ServerHttpResponse response = exchange.getResponse();
        HttpHeaders headers = response.getHeaders();
        response.setStatusCode(HttpStatus.valueOf(answer.status()));
        if (answer.status() == HttpStatus.ACCEPTED.value()) {
            headers.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(answer.body().length);
        count(answer);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body())));
    }

    private byte[] body(InstructorReport report) {
        Body cached = bodies.get(report.instructorId());
        if (cached != null && cached.report() == report) {
            return cached.json();
        }
        byte[] bytes = json.writeValueAsBytes(report);
        if (bodies.size() >= ReportRequests.MAX_CACHED) {
            bodies.clear();
        }
        bodies.put(report.instructorId(), new Body(report, bytes));
        return bytes;
    }

    /**
     * The instructor id of a {@code GET /api/instructors/{id}/report} without a query string, whose id is made of
     * characters that need no decoding (RFC 3986 unreserved) and is no dot segment, with no {@code Origin} and an
     * {@code Accept} that the controller answers with {@code application/json}; null for any other request.
     */
    static @Nullable String instructorId(ServerHttpRequest request) {
        if (!HttpMethod.GET.equals(request.getMethod()) || request.getURI().getRawQuery() != null) {
            return null;
        }
        HttpHeaders headers = request.getHeaders();
        return instructorId(request.getPath().value(), headers.containsHeader(HttpHeaders.ORIGIN),
                headers.get(HttpHeaders.ACCEPT));
    }

    /**
     * The same rules on a GET's raw path (no query string) and the headers that matter, for callers below WebFlux
     * ({@link ReportConnectionFastPath}).
     */
    static @Nullable String instructorId(String path, boolean hasOrigin, @Nullable List<String> accept) {
        int end = path.length() - SUFFIX.length();
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || end <= PREFIX.length()
                || end - PREFIX.length() > MAX_ID_LENGTH) {
            return null;
        }
        for (int i = PREFIX.length(); i < end; i++) {
            if (!unreserved(path.charAt(i))) {
                return null;
            }
        }
        String id = path.substring(PREFIX.length(), end);
        if (id.equals(".") || id.equals("..")) {
            return null;
        }
        if (hasOrigin || !acceptsJson(accept)) {
            return null;
        }
        return id;
    }

    /**
     * The token of the one {@code Authorization} header, read by the security chain's own parser
     * ({@link BearerTokenConverter}); null when there is none, several, or a malformed one (the chain then decides,
     * with its own errors).
     */
    static @Nullable String token(HttpHeaders headers) {
        return token(headers.get(HttpHeaders.AUTHORIZATION));
    }

    static @Nullable String token(@Nullable List<String> authorization) {
        return authorization == null || authorization.size() != 1 ? null
                : BearerTokenConverter.tokenOrNull(authorization.getFirst());
    }

    private static boolean acceptsJson(@Nullable List<String> accept) {
        if (accept == null) {
            return true;
        }
        if (accept.size() != 1) {
            return false;
        }
        String value = accept.getFirst();
        return value.equals("*/*") || value.equals(MediaType.APPLICATION_JSON_VALUE);
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.' || c == '~';
    }
}
