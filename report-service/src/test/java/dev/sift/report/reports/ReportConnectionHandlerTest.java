package dev.sift.report.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.netty.NettyPipeline;

/**
 * The connection handler of {@link ReportConnectionFastPath} on a bare channel, between Netty's HTTP codec and a stand-in
 * for the regular path: when it answers itself, in what order, what it waits for and hands on, and that it asks for
 * the next read when Reactor Netty would not know to.
 */
class ReportConnectionHandlerTest {

    private static final String REPORT = "{\"instructorId\":\"i-1\"}";

    /** Decisions by token: "known" answers 200, "pending" waits for {@link #lookup}, anything else is handed on. */
    private final Sinks.One<ReportRequests.Answer> lookup = Sinks.one();
    private final List<ReportFastPath.Immediate> counted = new ArrayList<>();
    private final ReportAnswers answers = new ReportAnswers() {
        @Override
        public ReportFastPath.@Nullable Decision decide(String id, String token) {
            return switch (token) {
                case "known" -> new ReportFastPath.Immediate(200, REPORT.getBytes(StandardCharsets.UTF_8));
                case "pending" -> new ReportFastPath.Pending(lookup.asMono());
                default -> null;
            };
        }

        @Override
        public ReportFastPath.Immediate immediate(ReportRequests.Answer answer) {
            return new ReportFastPath.Immediate(202, "{\"status\":\"GENERATING\"}".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void count(ReportFastPath.Immediate answer) {
            counted.add(answer);
        }
    };

    private final List<Object> regular = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    /** For each message written towards the socket: how many answers had been counted by then (both counters). */
    private final List<String> countedAtWrite = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private ChannelHandlerContext regularPath;
    private EmbeddedChannel channel;

    @BeforeEach
    void channel() {
        ReportConnectionFastPath layer = new ReportConnectionFastPath(() -> answers, true, meters);
        channel = new EmbeddedChannel();
        channel.pipeline().addLast("reads", new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                reads.incrementAndGet();
                ctx.read();
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                countedAtWrite.add(counted.size() + "/"
                        + (long) meters.counter(ReportConnectionFastPath.CONNECTION_ANSWERS).count());
                ctx.write(msg, promise);
            }
        });
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
        channel.pipeline().addLast(ReportConnectionFastPath.HANDLER, layer.new Handler());
        channel.pipeline().addLast("regular", new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                regularPath = ctx;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                regular.add(msg);
                ReferenceCountUtil.release(msg);
            }
        });
    }

    @Test
    void answersOnlyOnceTheRegularPathsHeadersArrivedAndThenWithThem() {
        send(request("known"));
        assertThat(requestsOnTheRegularPath()).isEqualTo(1);
        answerRegularly(200, REPORT);
        assertThat(readResponse()).startsWith("HTTP/1.1 200 OK").contains("x-content-type-options: nosniff");

        send(request("known"));
        String fast = readResponse();
        assertThat(fast).startsWith("HTTP/1.1 200 OK").contains("x-content-type-options: nosniff",
                "content-type: application/json", "content-length: " + REPORT.length()).endsWith(REPORT);
        assertThat(requestsOnTheRegularPath()).isEqualTo(1);
        assertThat(counted).hasSize(1);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anAnswerIsCountedBeforeItReachesTheSocket() {
        // A client that reads the counters once it has its answer (as the ITs do) must find the answer counted.
        primeHeaders();
        countedAtWrite.clear();
        send(request("known"));
        assertThat(readResponse()).endsWith(REPORT);
        assertThat(countedAtWrite).isNotEmpty().allSatisfy(seen -> assertThat(seen).isEqualTo("1/1"));
    }

    @Test
    void pipelinedRequestsWaitForTheAnswerBeforeThem() {
        primeHeaders();
        send(request("someone-else") + request("known"));
        assertThat(requestsOnTheRegularPath()).isEqualTo(2);
        assertThat((Object) channel.readOutbound()).isNull();
        // The second would be answerable here, but the first is still being answered: both go the regular way.
        answerRegularly(200, "{\"first\":true}");
        answerRegularly(200, "{\"second\":true}");
        assertThat(readResponse()).endsWith("{\"first\":true}");
        assertThat(readResponse()).endsWith("{\"second\":true}");
        assertThat(counted).isEmpty();
        // Once nothing is outstanding, the next one is answered here again.
        send(request("known"));
        assertThat(readResponse()).endsWith(REPORT);
        assertThat(counted).hasSize(1);
    }

    @Test
    void aRequestWaitsForTheSharedLookupAndIsAnsweredFromIt() {
        primeHeaders();
        primeHeaders202();
        send(request("pending"));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(requestsOnTheRegularPath()).isZero();
        lookup.tryEmitValue(new ReportRequests.Answer(null));
        channel.runPendingTasks();
        assertThat(readResponse()).startsWith("HTTP/1.1 202 Accepted").contains("retry-after: 2")
                .endsWith("{\"status\":\"GENERATING\"}");
        assertThat(requestsOnTheRegularPath()).isZero();
    }

    @Test
    void aFailedLookupHandsTheRequestOnAsRead() {
        primeHeaders();
        send(request("pending"));
        lookup.tryEmitError(new IllegalStateException("Postgres down"));
        channel.runPendingTasks();
        assertThat(requestsOnTheRegularPath()).isEqualTo(1);
        assertThat(regular).anySatisfy(msg -> assertThat(msg).isInstanceOf(LastHttpContent.class));
    }

    @Test
    void asksForTheNextReadWhenAutoReadIsOff() {
        primeHeaders();
        channel.config().setAutoRead(false);
        int before = reads.get();
        send(request("known"));
        assertThat(readResponse()).startsWith("HTTP/1.1 200 OK");
        assertThat(reads.get()).isGreaterThan(before);
    }

    @Test
    void aConnectionThatPipelinesTooMuchBehindAWaitingRequestIsClosed() {
        primeHeaders();
        StringBuilder many = new StringBuilder(request("pending"));
        for (int i = 0; i < ReportConnectionFastPath.MAX_HELD; i++) {
            many.append(request("someone-else"));
        }
        send(many.toString());
        assertThat(channel.isOpen()).isFalse();
    }

    private void primeHeaders() {
        send(request("someone-else"));
        answerRegularly(200, REPORT);
        readResponse();
        regular.clear();
    }

    private void primeHeaders202() {
        send(request("someone-else"));
        FullHttpResponse response = response(202, "{\"status\":\"GENERATING\"}");
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "2");
        regularPath.writeAndFlush(response);
        readResponse();
        regular.clear();
    }

    private void answerRegularly(int status, String body) {
        regularPath.writeAndFlush(response(status, body));
    }

    private static FullHttpResponse response(int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set("X-Content-Type-Options", "nosniff").setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return response;
    }

    private static String request(String token) {
        return "GET /api/instructors/i-1/report HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n";
    }

    private void send(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
    }

    private long requestsOnTheRegularPath() {
        return regular.stream().filter(HttpRequest.class::isInstance).count();
    }

    private String readResponse() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf buffer = channel.readOutbound(); buffer != null; buffer = channel.readOutbound()) {
            text.append(buffer.toString(StandardCharsets.US_ASCII));
            buffer.release();
            if (text.indexOf("\r\n\r\n") >= 0) {
                int headerEnd = text.indexOf("\r\n\r\n") + 4;
                String lengthLine = text.substring(0, headerEnd).toLowerCase();
                int at = lengthLine.indexOf("content-length: ");
                int length = at < 0 ? 0 : Integer.parseInt(lengthLine.substring(at + 16, lengthLine.indexOf('\r', at)));
                if (text.length() >= headerEnd + length) {
                    break;
                }
            }
        }
        return text.toString().replace("\r\n", "\n").toLowerCase().startsWith("http/1.1")
                ? lowerCaseHeaders(text.toString()) : text.toString();
    }

    /** The status line and body as sent, header names in lower case (Netty keeps the case they were set with). */
    private static String lowerCaseHeaders(String response) {
        int headerEnd = response.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            return response;
        }
        String[] lines = response.substring(0, headerEnd).split("\r\n");
        StringBuilder out = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            out.append("\r\n").append(lines[i].substring(0, colon).toLowerCase()).append(lines[i].substring(colon));
        }
        return out.append(response.substring(headerEnd)).toString();
    }
}
