package dev.sift.report.reports;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * {@link ReportFastPath} one layer further down: a handler on each HTTP/1.1 connection, right after Netty's HTTP
 * codec, that answers {@code GET /api/instructors/{id}/report} itself when {@link ReportFastPath#immediate} knows the
 * answer at once, so that such an answer costs no Reactor Netty request, no WebFlux exchange and no observation
 * (the report-service README, Report requests: a burst of 1,000 identical requests is otherwise bound by the cost of
 * any WebFlux request on two cores). Hand-written because no library answers from memory inside Reactor Netty's
 * pipeline; it is small on purpose and hands everything it is not sure of to the regular path unchanged:
 * <ul>
 *   <li>only a request that {@link ReportFastPath#instructorId(String, boolean, java.util.List)} takes, HTTP/1.1
 *       without {@code Connection: close}, {@code Expect}, a body or a query string, whose token is verified at once
 *       (cached) and whose answer is already known;</li>
 *   <li>only while no earlier request on the connection is still being answered by the regular path, so pipelined
 *       answers stay in order;</li>
 *   <li>the headers are those of a report answer with the same status that the regular path (or the WebFlux fast
 *       path) wrote on this server, captured from the response as it passed this handler; until one has passed, or
 *       if it carried a header that could depend on the request, the status is left to the regular path; the body
 *       bytes are {@link ReportFastPath}'s, which are the application's JSON.</li>
 * </ul>
 * A request that arrives while the identical lookup is in flight waits for it here (this layer asks for no further
 * read of its connection meanwhile, and a connection that still pipelines more than {@value #MAX_HELD} messages
 * behind it is closed) and
 * is answered from it, or handed on as read if the lookup failed or gave nothing this layer may write.
 * What these answers skip: the {@code http.server.requests} observation (they are counted by
 * {@code sift.report.fast.path.answers}, like the WebFlux fast path's, and by {@value #CONNECTION_ANSWERS}) and Reactor
 * Netty's per-connection request limits. Off when response compression or HTTP/2 is configured
 * ({@code server.compression.enabled}, {@code server.http2.enabled}), since the regular path's bytes would differ.
 */
@Component
class ReportConnectionFastPath implements NettyServerCustomizer {

    static final String HANDLER = "sift.reportConnectionFastPath";
    /** Messages read behind a waiting request before the connection is closed instead (about 30 pipelined GETs). */
    static final int MAX_HELD = 64;
    /** Counts the answers written by the connection handler (a subset of {@link ReportFastPath#ANSWERS}). */
    static final String CONNECTION_ANSWERS = "sift.report.fast.path.connection.answers";

    private static final Logger log = LoggerFactory.getLogger(ReportConnectionFastPath.class);
    /** Headers a report answer may carry that do not depend on the request (security headers, type, Retry-After). */
    private static final Set<String> STATIC_HEADERS = Set.of("content-type", "retry-after", "cache-control", "pragma",
            "expires", "x-content-type-options", "x-frame-options", "x-xss-protection", "referrer-policy",
            "strict-transport-security", "content-security-policy", "permissions-policy", "cross-origin-opener-policy",
            "cross-origin-embedder-policy", "cross-origin-resource-policy");
    /** Headers of the captured answer that are per message, not per answer: written for each answer here. */
    private static final Set<String> FRAMING_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date");

    private final Supplier<@Nullable ReportAnswers> fastPath;
    private final boolean enabled;
    private final Counter answered;
    /** The headers of the regular path's 200 and 202 report answers, once seen (written once, then read). */
    private volatile @Nullable HttpHeaders headers200;
    private volatile @Nullable HttpHeaders headers202;
    private volatile @Nullable ReportAnswers resolved;

    @Autowired
    ReportConnectionFastPath(ObjectProvider<ReportFastPath> fastPath, Environment environment, MeterRegistry meters) {
        this(fastPath::getIfAvailable, !environment.getProperty("server.compression.enabled", Boolean.class, false)
                && !environment.getProperty("server.http2.enabled", Boolean.class, false), meters);
    }

    /** With the decisions from {@code fastPath} (looked up at the first request), for tests on a bare channel. */
    ReportConnectionFastPath(Supplier<@Nullable ReportAnswers> fastPath, boolean enabled, MeterRegistry meters) {
        this.fastPath = fastPath;
        this.enabled = enabled;
        if (!enabled) {
            log.info("Report answers are not given on the connection: response compression or HTTP/2 is configured");
        }
        this.answered = Counter.builder(CONNECTION_ANSWERS)
                .description("Report requests answered from memory on the connection, before Reactor Netty's request")
                .register(meters);
    }

    @Override
    public HttpServer apply(HttpServer server) {
        if (!enabled) {
            return server;
        }
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            ChannelPipeline pipeline = channel.pipeline();
            // HTTP/1.1 connections only (plain or TLS): the codec and Reactor Netty's traffic handler after it.
            if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(NettyPipeline.HttpTrafficHandler) != null
                    && pipeline.get(HANDLER) == null) {
                pipeline.addAfter(NettyPipeline.HttpCodec, HANDLER, new Handler());
            }
        });
    }

    /** The WebFlux fast path, looked up once (a bean lookup per request cost more than the rest of the answer). */
    private @Nullable ReportAnswers fastPath() {
        ReportAnswers path = resolved;
        if (path == null) {
            path = fastPath.get();
            resolved = path;
        }
        return path;
    }

    /** The headers for an answer with this status, or null while none may be given here. */
    @Nullable HttpHeaders headersFor(int status) {
        return status == 200 ? headers200 : status == 202 ? headers202 : null;
    }

    /** Takes the headers of a regular report answer, if they are all of the kind that holds for every answer. */
    void capture(HttpResponse response) {
        int status = response.status().code();
        if ((status != 200 && status != 202) || headersFor(status) != null) {
            return;
        }
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(type))) {
            return;
        }
        HttpHeaders kept = new DefaultHttpHeaders();
        for (Map.Entry<String, String> header : response.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (FRAMING_HEADERS.contains(name)) {
                continue;
            }
            if (!STATIC_HEADERS.contains(name)) {
                log.debug("A report answer carried {}: its status stays with the regular path", name);
                return;
            }
            kept.add(header.getKey(), header.getValue());
        }
        if (status == 200) {
            headers200 = kept;
        } else {
            headers202 = kept;
        }
    }

    /**
     * One per connection, on its event loop. Counts the requests handed to Reactor Netty that it has not finished
     * answering, and remembers which of them were report requests, so that their answers' headers can be captured.
     */
    final class Handler extends ChannelDuplexHandler {

        /** For each request handed on and not yet answered to its end: whether it is a report request. */
        private final ArrayDeque<Boolean> handedOn = new ArrayDeque<>();
        /** The rest of a request answered here (its content, up to the last part) is dropped. */
        private boolean dropping;
        /** Something read in this read loop was kept from Reactor Netty. */
        private boolean kept;
        /**
         * While a request waits for a lookup in flight: it and everything read after it, in order; nothing more is
         * read from the connection until the lookup has answered.
         */
        private @Nullable List<Object> held;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (held != null) {
                if (held.size() >= MAX_HELD) {
                    // Pipelining this much behind a request that waits (at most the lookup's publish timeout) is no
                    // client we serve: drop the connection rather than buffer without bound.
                    ReferenceCountUtil.release(msg);
                    ctx.close();
                    return;
                }
                held.add(msg);
                kept = true;
                return;
            }
            if (dropping) {
                dropping = !(msg instanceof LastHttpContent);
                kept = true;
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                String id = handedOn.isEmpty() ? candidate(request) : null;
                ReportAnswers path = id == null ? null : fastPath();
                String token = path == null ? null
                        : ReportFastPath.token(request.headers().getAll(HttpHeaderNames.AUTHORIZATION));
                // No captured headers yet: the regular path answers, and its headers are captured on the way out.
                ReportFastPath.Decision decision = token == null || (headers200 == null && headers202 == null) ? null
                        : decide(path, id, token);
                if (decision instanceof ReportFastPath.Immediate immediate && answer(ctx, path, immediate)) {
                    drop(msg);
                    return;
                }
                if (decision instanceof ReportFastPath.Pending pending) {
                    hold(ctx, path, msg, pending.lookup());
                    return;
                }
                handedOn.add(reportRequest(request));
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Reactor Netty reads a connection on demand (auto-read off between requests) and asks for the next read
            // when it has answered a request. It never saw the ones answered here, so ask for it on their behalf.
            if (kept) {
                kept = false;
                readOnTheirBehalf(ctx);
            }
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            release();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            release();
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            // The regular path's answers pass here on their way to the codec.
            boolean interim = false;
            if (msg instanceof HttpResponse response) {
                // A 100 Continue is complete in itself but does not end the answer to its request.
                interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
                if (!interim && Boolean.TRUE.equals(handedOn.peek())) {
                    capture(response);
                }
            }
            if (msg instanceof LastHttpContent && !interim) {
                handedOn.poll();
            }
            ctx.write(msg, promise);
        }

        private ReportFastPath.@Nullable Decision decide(ReportAnswers path, String id, String token) {
            try {
                return path.decide(id, token);
            } catch (RuntimeException e) {
                // Whatever went wrong here, the regular path decides (and reports) it.
                log.debug("Report request handed on: {}", e.toString());
                return null;
            }
        }

        private void drop(Object request) {
            dropping = !(request instanceof LastHttpContent);
            kept = true;
            ReferenceCountUtil.release(request);
        }

        private void readOnTheirBehalf(ChannelHandlerContext ctx) {
            if (held == null && handedOn.isEmpty() && !ctx.channel().config().isAutoRead()) {
                ctx.read();
            }
        }

        /** Writes the answer if a regular answer with its status has passed here; false if it may not. */
        private boolean answer(ChannelHandlerContext ctx, ReportAnswers path, ReportFastPath.Immediate immediate) {
            HttpHeaders headers = headersFor(immediate.status());
            if (headers == null) {
                return false;
            }
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(immediate.status()), Unpooled.wrappedBuffer(immediate.body()),
                    headers.copy(), EmptyHttpHeaders.INSTANCE);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, immediate.body().length);
            // Counted before it is written: the write reaches the socket at once, and a client that reads the
            // counters after its answer (as the ITs do) must find it counted.
            path.count(immediate);
            answered.increment();
            ctx.writeAndFlush(response);
            return true;
        }

        /**
         * Keeps the request (and what follows it) until the shared lookup answers, then answers it from the lookup,
         * or, if the lookup failed or gave nothing this layer may write, hands it on to the regular path as read.
         */
        private void hold(ChannelHandlerContext ctx, ReportAnswers path, Object request,
                Mono<ReportRequests.Answer> lookup) {
            List<Object> messages = new ArrayList<>();
            messages.add(request);
            held = messages;
            kept = true;
            lookup.subscribe(
                    answer -> ctx.executor().execute(() -> resume(ctx, path, messages, answer)),
                    error -> ctx.executor().execute(() -> resume(ctx, path, messages, null)),
                    () -> ctx.executor().execute(() -> resume(ctx, path, messages, null)));
        }

        private void resume(ChannelHandlerContext ctx, ReportAnswers path, List<Object> messages,
                ReportRequests.@Nullable Answer answer) {
            if (held != messages) {
                return; // already resumed (a Mono signals once; the completion after a value lands here) or released
            }
            held = null;
            if (!ctx.channel().isActive()) {
                messages.forEach(ReferenceCountUtil::release);
                return;
            }
            Object request = messages.getFirst();
            if (answer != null && answer(ctx, path, path.immediate(answer))) {
                drop(request);
            } else {
                handedOn.add(true);
                ctx.fireChannelRead(request);
            }
            // What was read after the request goes the usual way (and may be held again).
            for (Object next : messages.subList(1, messages.size())) {
                channelRead(ctx, next);
            }
            kept = false;
            ctx.fireChannelReadComplete();
            readOnTheirBehalf(ctx);
        }

        private void release() {
            List<Object> messages = held;
            held = null;
            if (messages != null) {
                messages.forEach(ReferenceCountUtil::release);
            }
        }
    }

    /** The instructor id of a request this layer may answer; null for every other request. */
    static @Nullable String candidate(HttpRequest request) {
        if (!request.decoderResult().isSuccess() || request.method() != HttpMethod.GET
                || request.protocolVersion() != HttpVersion.HTTP_1_1) {
            return null;
        }
        HttpHeaders headers = request.headers();
        if (headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)
                || headers.contains(HttpHeaderNames.EXPECT) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || HttpUtil.getContentLength(request, 0L) != 0L || headers.contains(HttpHeaderNames.UPGRADE)) {
            return null;
        }
        String uri = request.uri();
        if (uri.indexOf('?') >= 0 || uri.indexOf('#') >= 0 || !uri.startsWith("/")) {
            return null;
        }
        return ReportFastPath.instructorId(uri, headers.contains(HttpHeaderNames.ORIGIN),
                headers.contains(HttpHeaderNames.ACCEPT) ? headers.getAll(HttpHeaderNames.ACCEPT) : null);
    }

    /** Whether a request handed on is a report request, whose answer's headers are worth capturing. */
    private static boolean reportRequest(HttpRequest request) {
        if (request.method() != HttpMethod.GET) {
            return false;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return ReportFastPath.instructorId(path, false, null) != null;
    }
}
