package dev.sift.report.reports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The load generator of {@link ReportRequestsBenchmark}: an open-loop burst of identical HTTP/1.1 GETs over keep-alive
 * connections opened beforehand. A burst writes one request on every connection from one thread in one tight loop
 * (no request waits for any answer), and a second thread reads the answers; each request is timed from just before
 * its write to the last byte of its answer, so neither connection setup nor the client's own queueing is in the
 * numbers, and what the client costs the shared cores is a write and a read per request.
 *
 * <p>Written by hand because the installed load generators do not measure this: {@code wrk} and {@code hey} are
 * closed loops that open their connections inside the measurement, and a client on the same two cores as the service
 * should cost as little of them as it can. It understands exactly what report-service sends:
 * a status line, headers and a {@code Content-Length} body (anything else fails the burst loudly).
 *
 * <p>{@link #main} runs it in a process of its own: {@code BurstClient host port connections}, then one command per
 * line on stdin, {@code BURST <path> <token>} (answered by a {@code RESULT} line, {@link Summary#toLine}) or
 * {@code QUIT}.
 */
public final class BurstClient implements AutoCloseable {

    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private final String host;
    private final int port;
    private final SocketChannel[] channels;
    private final Selector selector;
    private final Thread reader;
    private final Response[] responses;
    private final long[] sent;
    private volatile CountDownLatch pending = new CountDownLatch(0);
    private volatile boolean closed;
    private volatile String failure = "";

    /** One connection's answer being read, and when it was complete. */
    private static final class Response {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        long received;
        int status;
        int bodyHash;

        void reset() {
            buffer.clear();
            received = 0;
            status = 0;
            bodyHash = 0;
        }
    }

    private BurstClient(String host, int port, int connections) throws IOException {
        this.host = host;
        this.port = port;
        this.channels = new SocketChannel[connections];
        this.responses = new Response[connections];
        this.sent = new long[connections];
        this.selector = Selector.open();
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, i);
            channels[i] = channel;
            responses[i] = new Response();
        }
        this.reader = Thread.ofPlatform().name("burst-client-reader").daemon().start(this::read);
    }

    /** Opens {@code connections} connections to the server; they stay open until {@link #close}. */
    public static BurstClient open(String host, int port, int connections) throws IOException {
        return new BurstClient(host, port, connections);
    }

    /** One request on every connection at once; waits for all answers, at most {@code timeout}. */
    public Summary fire(String path, String token, Duration timeout) throws InterruptedException {
        int n = channels.length;
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + token
                + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer[] writes = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            writes[i] = ByteBuffer.wrap(request);
            responses[i].reset();
        }
        CountDownLatch latch = new CountDownLatch(n);
        pending = latch;
        long cpuBefore = processCpuNanos();
        long first = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                sent[i] = System.nanoTime();
                while (writes[i].hasRemaining()) {
                    if (channels[i].write(writes[i]) == 0) {
                        Thread.onSpinWait();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the burst", e);
        }
        long lastSent = System.nanoTime();
        boolean complete = latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long cpu = processCpuNanos() - cpuBefore;
        if (!failure.isEmpty()) {
            throw new IllegalStateException(failure);
        }
        long[] latencies = new long[n];
        int answered = 0;
        int ok = 0;
        int accepted = 0;
        long last = first;
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Response response = responses[i];
            if (response.received == 0) {
                continue;
            }
            latencies[answered++] = response.received - sent[i];
            last = Math.max(last, response.received);
            ok += response.status == 200 ? 1 : 0;
            accepted += response.status == 202 ? 1 : 0;
            distinct.add(((long) response.status << 32) | (response.bodyHash & 0xffffffffL));
        }
        long[] sorted = Arrays.copyOf(latencies, answered);
        Arrays.sort(sorted);
        return new Summary(n, answered, ok, accepted, answered - ok - accepted, percentile(sorted, 0.50),
                percentile(sorted, 0.95), percentile(sorted, 0.99), answered == 0 ? 0 : sorted[answered - 1] / 1e6,
                (lastSent - first) / 1e6, (last - first) / 1e6, distinct.size(), cpu / 1e6, complete);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private void read() {
        try {
            while (!closed) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        readFrom((Integer) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                failure = "reading answers failed: " + e;
                CountDownLatch latch = pending;
                while (latch.getCount() > 0) {
                    latch.countDown();
                }
            }
        }
    }

    private void readFrom(int connection) throws IOException {
        // Read first: the volatile read makes the burst's reset of this connection's response visible here.
        CountDownLatch latch = pending;
        Response response = responses[connection];
        if (!response.buffer.hasRemaining()) {
            response.buffer = ByteBuffer.allocate(response.buffer.capacity() * 2).put(response.buffer.flip());
        }
        int read = channels[connection].read(response.buffer);
        long now = System.nanoTime();
        if (read < 0) {
            throw new IOException("the server closed connection " + connection);
        }
        if (complete(response)) {
            response.received = now;
            latch.countDown();
        }
    }

    /** Whether the buffer holds one whole answer; if so, its status and body hash are set. */
    private static boolean complete(Response response) {
        byte[] bytes = response.buffer.array();
        int length = response.buffer.position();
        int headerEnd = indexOf(bytes, length, HEADER_END);
        if (headerEnd < 0) {
            return false;
        }
        String head = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1);
        long contentLength = -1;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(line.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                throw new IllegalStateException("answers with Transfer-Encoding are not supported: " + head);
            }
        }
        if (contentLength < 0) {
            throw new IllegalStateException("an answer without Content-Length: " + head);
        }
        int bodyStart = headerEnd + HEADER_END.length;
        if (length < bodyStart + contentLength) {
            return false;
        }
        if (length > bodyStart + contentLength) {
            throw new IllegalStateException("more bytes than one answer on a connection with one request in flight");
        }
        response.status = Integer.parseInt(head.substring(9, 12));
        int hash = 1;
        for (int i = bodyStart; i < length; i++) {
            hash = 31 * hash + bytes[i];
        }
        response.bodyHash = hash;
        return true;
    }

    private static int indexOf(byte[] bytes, int length, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (bytes[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        for (SocketChannel channel : channels) {
            channel.close();
        }
        selector.close();
    }

    /**
     * What one burst measured. Latencies in ms, from a request's write to the last byte of its answer; {@code sendSpan}
     * from the first write to the last, {@code wall} from the first write to the last answer; {@code distinct} the
     * number of different (status, body) answers; {@code clientCpu} what this client's process spent meanwhile.
     */
    public record Summary(int requests, int answered, int ok, int accepted, int other, double p50, double p95,
            double p99, double max, double sendSpan, double wall, int distinct, double clientCpu, boolean complete) {

        String toLine() {
            return String.format(Locale.ROOT, "requests=%d answered=%d ok=%d accepted=%d other=%d p50=%.3f p95=%.3f p99=%.3f"
                    + " max=%.3f sendSpan=%.3f wall=%.3f distinct=%d clientCpu=%.1f complete=%b", requests, answered, ok,
                    accepted, other, p50, p95, p99, max, sendSpan, wall, distinct, clientCpu, complete);
        }

        static Summary parse(String line) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : line.trim().split(" ")) {
                int eq = field.indexOf('=');
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
            return new Summary(Integer.parseInt(fields.get("requests")), Integer.parseInt(fields.get("answered")),
                    Integer.parseInt(fields.get("ok")), Integer.parseInt(fields.get("accepted")),
                    Integer.parseInt(fields.get("other")), Double.parseDouble(fields.get("p50")),
                    Double.parseDouble(fields.get("p95")), Double.parseDouble(fields.get("p99")),
                    Double.parseDouble(fields.get("max")), Double.parseDouble(fields.get("sendSpan")),
                    Double.parseDouble(fields.get("wall")), Integer.parseInt(fields.get("distinct")),
                    Double.parseDouble(fields.get("clientCpu")), Boolean.parseBoolean(fields.get("complete")));
        }

        @Override
        public String toString() {
            return ("%d answers of %d (200: %d, 202: %d, other: %d; %d distinct)%s; latency p50 %.1f ms, p95 %.1f ms, "
                    + "p99 %.1f ms, max %.1f ms; sent within %.1f ms, all answered after %.0f ms; client CPU %.0f ms")
                    .formatted(answered, requests, ok, accepted, other, distinct, complete ? "" : " [TIMED OUT]", p50,
                            p95, p99, max, sendSpan, wall, clientCpu);
        }
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int connections = Integer.parseInt(args[2]);
        try (BurstClient client = open(host, port, connections);
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("READY " + connections);
            System.out.flush();
            for (String line = commands.readLine(); line != null; line = commands.readLine()) {
                String[] command = line.split(" ");
                switch (command[0]) {
                    case "BURST" -> System.out.println("RESULT " + client.fire(command[1], command[2], Duration.ofSeconds(60)).toLine());
                    case "QUIT" -> {
                        return;
                    }
                    default -> System.out.println("ERROR unknown command " + command[0]);
                }
                System.out.flush();
            }
        }
    }
}
