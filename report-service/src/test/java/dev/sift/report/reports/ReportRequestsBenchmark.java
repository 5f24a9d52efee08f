package dev.sift.report.reports;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.QuestionAsked;
import dev.sift.contracts.lecture.ReviewPosted;
import dev.sift.kafka.EventPublisher;
import dev.sift.report.ReportServiceApplication;
import dev.sift.testing.AiProviderStandIn;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.TestDatabase;
import dev.sift.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * 1,000 concurrent identical {@code GET /api/instructors/{id}/report} requests against the real report-service
 * (embedded broker, a fresh Postgres database, the LLM an HTTP stand-in with 2 s latency that counts requests):
 * how many LLM requests they cause (target exactly 1) and the latency of the answers (target p99 ≤ 50 ms).
 *
 * <p>The load comes from {@link BurstClient}, by default in a process of its own ({@code -Dbench.client=in-process}
 * runs it in this JVM instead): one keep-alive connection per request, opened and warmed before the bursts, every
 * request of a burst written at once (open loop), each timed from its write to the last byte of its answer. Warm-up:
 * bursts for another instructor, while its report is generated and after. Then the measured bursts: one while the
 * report is being generated (it starts the generation), and {@code rounds} after it completed. For each it prints
 * the client's percentiles and counts, the server's own {@code http.server.requests} mean, how many requests the
 * fast path answered, the CPU both processes spent and the load average; at the end the LLM requests made.
 * Run by hand:
 * {@code java --enable-native-access=ALL-UNNAMED -cp <test classpath> dev.sift.report.reports.ReportRequestsBenchmark [requests] [rounds]}.
 */
public final class ReportRequestsBenchmark {

    private static final Duration BURST_TIMEOUT = Duration.ofSeconds(60);
    private static final double TARGET_P99_MS = 50;
    private static final String ROUTE = "/api/instructors/{id}/report";
    /** ReportFastPath.ANSWERS, by name, so that the benchmark also runs against the code before the fast path. */
    private static final String FAST_PATH_ANSWERS = "sift.report.fast.path.answers";

    /** Where the bursts come from: this JVM or a process of its own. */
    interface LoadGenerator extends AutoCloseable {
        BurstClient.Summary fire(String path, String token) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean ownProcess = !"in-process".equals(System.getProperty("bench.client", "process"));
        TestTokens tokens = TestTokens.shared();
        try (AiProviderStandIn llm = new AiProviderStandIn().latency(Duration.ofSeconds(2))) {
            TestDatabase database = TestDatabase.get();
            List<String> settings = new ArrayList<>(List.of(
                    "--SIFT_KAFKA_BOOTSTRAP=" + KafkaTestBroker.bootstrapServers(),
                    "--sift.db.url=" + database.url(), "--sift.db.user=" + database.user(),
                    "--sift.db.password=" + database.password(), "--server.port=0",
                    "--logging.structured.format.console=", "--logging.level.root=WARN",
                    "--sift.ai.generation.provider=openai", "--sift.ai.generation.base-url=" + llm.baseUrl(),
                    "--sift.ai.generation.api-key=bench", "--sift.ai.generation.model=gpt-bench",
                    "--sift.report.dashboard.state-directory=" + Files.createTempDirectory("bench-report-streams")));
            tokens.properties().forEach((name, value) -> settings.add("--" + name + "=" + value));
            ConfigurableApplicationContext context = ReportServiceApplication.builder().run(settings.toArray(String[]::new));
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            try (LoadGenerator load = ownProcess ? new ChildProcess("127.0.0.1", port, requests)
                    : inProcess(BurstClient.open("127.0.0.1", port, requests))) {
                System.out.printf("machine: %d cores; client: %s, %d connections opened before the first burst%n",
                        Runtime.getRuntime().availableProcessors(), ownProcess ? "own process" : "this JVM", requests);
                Probe probe = new Probe(port, context);
                String instructor = "bench-" + UUID.randomUUID();
                seed(context.getBean(EventPublisher.class), context.getBean(DatabaseClient.class), instructor);
                String token = tokens.mint(instructor, UUID.randomUUID().toString(), "INSTRUCTOR");

                // Warm-up: the same kinds of burst for instructors without material (reported without a model call).
                // Since session 6 five bursts that claim a report, each for an instructor of its own, so that the
                // claim and the held requests' path are compiled like the answers from memory (with one, the measured
                // claiming burst ran on code the JIT had seen once: ~130 µs of CPU per answer instead of ~40–55).
                String warmUp = null;
                String warmUpToken = null;
                for (int i = 0; i < WARM_UP_CLAIMS; i++) {
                    warmUp = "bench-warm-up-" + UUID.randomUUID();
                    warmUpToken = tokens.mint(warmUp, UUID.randomUUID().toString(), "INSTRUCTOR");
                    probe.burst(load, "warm-up claiming a report", warmUp, warmUpToken);
                    probe.awaitReport(warmUp, warmUpToken);
                }
                for (int i = 0; i < 3; i++) {
                    probe.burst(load, "warm-up after completion", warmUp, warmUpToken);
                }
                llm.reset();
                llm.latency(Duration.ofSeconds(2));
                probe.measureBackground();

                List<BurstClient.Summary> measured = new ArrayList<>();
                measured.add(probe.burst(load, "burst while generating", instructor, token));
                probe.awaitReport(instructor, token);
                for (int round = 1; round <= rounds; round++) {
                    measured.add(probe.burst(load, "burst after completion, round " + round, instructor, token));
                }
                int llmRequests = llm.responses().size();
                System.out.printf("LLM requests made: %d (completed %d): target exactly 1 %s%n", llmRequests,
                        llm.responsesCompleted(), llmRequests == 1 ? "met" : "NOT met");
                double worst = measured.stream().mapToDouble(BurstClient.Summary::p99).max().orElse(0);
                boolean allAnswered = measured.stream().allMatch(s -> s.answered() == s.requests()
                        && s.ok() + s.accepted() == s.requests());
                System.out.printf("worst p99 of the measured bursts: %.1f ms: target ≤ %.0f ms %s%s%n", worst,
                        TARGET_P99_MS, worst <= TARGET_P99_MS ? "met" : "NOT met",
                        allAnswered ? "" : " (and not every request was answered 200/202)");
            } finally {
                context.close();
            }
        }
        System.exit(0);
    }

    /** Warm-up bursts that each claim a report (of an instructor without material). */
    static final int WARM_UP_CLAIMS = 5;

    /** The measurements around each burst, and the requests that are not part of one. */
    private static final class Probe {
        private final int port;
        private final MeterRegistry meters;
        private final HttpClient http = HttpClient.newHttpClient();
        /** What this JVM spends per ms while no request comes (broker, Kafka Streams, listeners), in ms of CPU. */
        private double background;

        Probe(int port, ConfigurableApplicationContext context) {
            this.port = port;
            this.meters = context.getBean(MeterRegistry.class);
        }

        BurstClient.Summary burst(LoadGenerator load, String name, String instructor, String token) throws Exception {
            String load1 = loadAverage();
            ServerTime server = ServerTime.of(meters);
            double fast = fastPathAnswers();
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            BurstClient.Summary result = load.fire("/api/instructors/" + instructor + "/report", token);
            double cpuMs = (processCpuNanos() - cpu) / 1e6;
            double elapsedMs = (System.nanoTime() - start) / 1e6;
            System.out.printf("%s (%d identical requests): %s%n", name, result.requests(), result);
            System.out.printf("  server: %s; fast path answered %d; benchmark JVM (service, broker, stand-in) CPU %.0f ms"
                    + " in %.0f ms%s; load average before %s, after %s%n", ServerTime.of(meters).since(server),
                    (long) (fastPathAnswers() - fast), cpuMs, elapsedMs, background == 0 ? ""
                            : ", ≈ %.0f µs per request above the idle background".formatted(
                                    Math.max(0, cpuMs - background * elapsedMs) * 1000 / result.requests()),
                    load1, loadAverage());
            return result;
        }

        void measureBackground() throws InterruptedException {
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            Thread.sleep(2_000);
            background = (processCpuNanos() - cpu) / (double) (System.nanoTime() - start);
            System.out.printf("benchmark JVM idle background: %.0f ms of CPU per second%n", background * 1000);
        }

        /** The fast path's answers so far; 0 where there is no fast path (a baseline run of the code before it). */
        private double fastPathAnswers() {
            return meters.find(FAST_PATH_ANSWERS).counters().stream().mapToDouble(c -> c.count()).sum();
        }

        /** Polls (one request at a time, outside any burst) until the report is there. */
        void awaitReport(String instructor, String token) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/instructors/"
                    + instructor + "/report")).header("Authorization", "Bearer " + token).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no report within 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    private static LoadGenerator inProcess(BurstClient client) {
        return new LoadGenerator() {
            @Override
            public BurstClient.Summary fire(String path, String token) throws Exception {
                return client.fire(path, token, BURST_TIMEOUT);
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    /** {@link BurstClient#main} in a JVM of its own, on this JVM's class path, driven over its stdin and stdout. */
    static final class ChildProcess implements LoadGenerator {
        private final Process process;
        private final PrintWriter commands;
        private final BufferedReader answers;

        ChildProcess(String host, int port, int connections) throws IOException {
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                    "java").toString());
            // A small serial-GC heap: the client allocates little, and should not bring GC threads to the two cores.
            process = new ProcessBuilder(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), BurstClient.class.getName(), host, Integer.toString(port),
                    Integer.toString(connections)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String ready = answers.readLine();
            if (ready == null || !ready.startsWith("READY")) {
                throw new IllegalStateException("the client process did not start: " + ready);
            }
        }

        @Override
        public BurstClient.Summary fire(String path, String token) throws IOException, InterruptedException {
            commands.println("BURST " + path + " " + token);
            for (String line = answers.readLine(); line != null; line = answers.readLine()) {
                if (line.startsWith("RESULT ")) {
                    return BurstClient.Summary.parse(line.substring("RESULT ".length()));
                }
                System.out.println("client: " + line);
            }
            throw new IllegalStateException("the client process ended (exit " + process.waitFor(5, TimeUnit.SECONDS) + ")");
        }

        @Override
        public void close() throws InterruptedException {
            commands.println("QUIT");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        }
    }

    /** The server's own view: Micrometer's request timer, from the handler's start to the response's end. */
    record ServerTime(long count, double totalMs) {
        static ServerTime of(MeterRegistry meters) {
            long count = 0;
            double total = 0;
            for (Timer timer : meters.find("http.server.requests").tag("uri", ROUTE).timers()) {
                count += timer.count();
                total += timer.totalTime(TimeUnit.MILLISECONDS);
            }
            return new ServerTime(count, total);
        }

        String since(ServerTime before) {
            long n = count - before.count;
            return "http.server.requests %d, mean %.1f ms".formatted(n, n == 0 ? 0 : (totalMs - before.totalMs) / n);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void seed(EventPublisher publisher, DatabaseClient db, String instructor) throws InterruptedException {
        Instant at = Instant.now().minusSeconds(3600);
        for (int i = 0; i < 20; i++) {
            publisher.publish(Topics.LECTURE_REVIEW, instructor, new ReviewPosted("r-" + UUID.randomUUID(), instructor,
                    "lecture-" + (i % 3), 1 + i % 5, "Review " + i + ": clear examples, pace a bit fast", at))
                    .block(Duration.ofSeconds(30));
        }
        for (int i = 0; i < 10; i++) {
            publisher.publish(Topics.LECTURE_QUESTION, instructor, new QuestionAsked("q-" + UUID.randomUUID(), instructor,
                    "lecture-" + (i % 3), "Question " + i + ": why does the join return nulls?", at))
                    .block(Duration.ofSeconds(30));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Long stored = db.sql("SELECT (SELECT count(*) FROM lecture_review WHERE instructor_id = :id)"
                    + " + (SELECT count(*) FROM lecture_question WHERE instructor_id = :id)").bind("id", instructor)
                    .map((row, meta) -> row.get(0, Long.class)).one().block(Duration.ofSeconds(10));
            if (stored != null && stored == 30) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("questions and reviews not stored within 60 s");
    }
}
