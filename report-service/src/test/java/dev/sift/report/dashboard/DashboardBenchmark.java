package dev.sift.report.dashboard;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.LectureActivityRecorded.Type;
import dev.sift.testing.KafkaTestBroker;
import dev.sift.testing.TestDatabase;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.math.BigDecimal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.flywaydb.core.Flyway;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Events per second from {@code sift.lecture.activity.v1} to queryable rows in Postgres, through the
 * production topology and writer, on the embedded test broker and this run's test database. Run by
 * hand (not part of {@code verify}):
 * {@code java -cp <test classpath> dev.sift.report.dashboard.DashboardBenchmark [events] [streamThreads]
 * [cachedDays] [writeInterval] [warmUpEvents] [commitInterval] [catchUpWriteInterval] [cachedStudents]}, defaults
 * 1000000 1 50000 PT1S 300000 PT10S PT60S 1000 (the production defaults).
 *
 * <p>All events are produced first; the clock starts when Kafka Streams starts and stops when the
 * totals in Postgres equal what was produced, so it measures catching up on a backlog (a backfill).
 * The totals are queried only after a write finished (they cannot change otherwise), so that the
 * polling does not take Postgres's CPU from the writes.
 */
public final class DashboardBenchmark {

    static final int INSTRUCTORS = 100;
    static final int LECTURES_PER_INSTRUCTOR = 5;
    static final int DAYS = 365;
    static final Instant FIRST_DAY = Instant.parse("2025-11-22T00:00:00Z");

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int cachedDays = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        Duration writeInterval = args.length > 3 ? Duration.parse(args[3]) : Duration.ofSeconds(1);
        int warmUpEvents = args.length > 4 ? Integer.parseInt(args[4]) : 300_000;
        Duration commitInterval = args.length > 5 ? Duration.parse(args[5]) : Duration.ofSeconds(10);
        Duration catchUpWriteInterval = args.length > 6 ? Duration.parse(args[6]) : Duration.ofSeconds(60);
        int cachedStudents = args.length > 7 ? Integer.parseInt(args[7]) : 1_000;
        String bootstrap = KafkaTestBroker.bootstrapServers();
        TestDatabase database = TestDatabase.get();
        Flyway.configure().dataSource(database.jdbcUrl(), database.user(), database.password())
                .schemas("report").defaultSchema("report").locations("classpath:db/migration/report").load().migrate();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(Topics.LECTURE_ACTIVITY.name(), 6, (short) 1))).all().get();
        }
        ConnectionFactory connections = ConnectionFactories.get(ConnectionFactoryOptions.parse(
                database.r2dbcUrl().replaceFirst("^r2dbc:", "r2dbc:pool:"))
                .mutate().option(ConnectionFactoryOptions.USER, database.user())
                .option(ConnectionFactoryOptions.PASSWORD, database.password()).build());
        DailyAggregateWriter postgres = new PostgresDailyAggregateWriter(DatabaseClient.create(connections));
        long[] writes = new long[3];
        long[] roundStart = new long[1];
        DailyAggregateWriter writer = snapshots -> {
            long began = System.nanoTime();
            return postgres.write(snapshots).thenRun(() -> {
                long done = System.nanoTime();
                synchronized (writes) {
                    writes[0]++;
                    writes[1] += snapshots.size();
                    writes[2] += done - began;
                }
                if (snapshots.size() >= 1_000) {
                    System.out.printf("  write of %,d days: %.1f–%.1f s after the start%n", snapshots.size(),
                            (began - roundStart[0]) / 1e9, (done - roundStart[0]) / 1e9);
                }
            });
        };
        DashboardProperties properties = new DashboardProperties("dashboard-benchmark-" + UUID.randomUUID(),
                Files.createTempDirectory("dashboard-benchmark-").toString(), commitInterval, writeInterval,
                catchUpWriteInterval, 10_000, threads, cachedDays, cachedStudents);
        System.out.println(properties);

        // Round 1 warms the JVM up (JIT compilation alone was a quarter of a cold run's CPU); round 2 is measured:
        // the same application, stopped, then restarted on a backlog, like a replica catching up.
        long[] expected = new long[3];
        SplittableRandom random = new SplittableRandom(42);
        int[] rounds = warmUpEvents > 0 ? new int[] {warmUpEvents, events} : new int[] {events};
        for (int round = 0; round < rounds.length; round++) {
            boolean measured = round == rounds.length - 1;
            long[] produced = produce(bootstrap, rounds[round], random, round * 10_000_000L);
            for (int i = 0; i < 3; i++) {
                expected[i] += produced[i];
            }
            System.out.printf("%s: produced %,d events (%,d duplicates), %,d enrollments, %,d KRW net%n",
                    measured ? "measured round" : "warm-up round", rounds[round], produced[2], produced[0], produced[1]);
            synchronized (writes) {
                java.util.Arrays.fill(writes, 0);
            }
            Properties config = DashboardStreams.config(bootstrap, properties);
            // The measured round rejoins as the warm-up round's static member (DashboardStreams.memberId), as a
            // restarted replica does: no wait for the old member's session.
            KafkaStreams streams = DashboardStreams.kafkaStreams(config, properties, writer);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuAtStart = os.getProcessCpuTime();
            long postgresAtStart = postgresCpuTicks();
            Map<Long, ThreadCpu> threadsAtStart = threadCpu();
            String loadAtStart = Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
            long start = System.nanoTime();
            roundStart[0] = start;
            long[] running = new long[1];
            streams.setStateListener((next, previous) -> {
                if (next == KafkaStreams.State.RUNNING && running[0] == 0) {
                    running[0] = System.nanoTime();
                }
            });
            streams.start();
            try {
                long rows = awaitTotals(database, expected, writes);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (!measured) {
                    System.out.printf("warm-up round: %,d events in %.1f s%n", rounds[round], seconds);
                    continue;
                }
                System.out.printf("%,d events to queryable daily rows (%,d in all) in %.1f s: %,.0f events/s (%d stream threads); "
                        + "RUNNING after %.1f s%n", events, rows, seconds, events / seconds, threads,
                        running[0] == 0 ? Double.NaN : (running[0] - start) / 1e9);
                double postgresCpu = (postgresCpuTicks() - postgresAtStart) / 100.0;
                System.out.printf("Postgres CPU (all postgres processes, also other users'): %.1f s = %.1f µs per event; "
                        + "load average at start %s, at end %s%n", postgresCpu, postgresCpu * 1e6 / events, loadAtStart,
                        Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
                double processCpu = (os.getProcessCpuTime() - cpuAtStart) / 1e9;
                double streamCpu = streamThreadCpuSeconds();
                printThreadCpu(threadsAtStart, threadCpu(), processCpu, events);
                System.out.printf("CPU in this JVM (broker, Streams, writer, GC, JIT): %.1f s = %.1f µs per event; "
                        + "stream threads since JVM start %.1f s%n", processCpu, processCpu * 1e6 / events, streamCpu);
                synchronized (writes) {
                    System.out.printf("writer: %,d writes, %,d rows, %.1f s in Postgres (off the stream threads)%n",
                            writes[0], writes[1], writes[2] / 1e9);
                }
            } finally {
                streams.close(Duration.ofSeconds(30));
            }
        }
        System.exit(0);
    }

    /** Waits until Postgres holds the expected totals; returns the number of daily rows. */
    private static long awaitTotals(TestDatabase database, long[] expected, long[] writes) throws Exception {
        long checkedAfterWrites = -1;
        try (Connection sql = database.connect()) {
            while (true) {
                Thread.sleep(20);
                synchronized (writes) {
                    if (writes[0] == checkedAfterWrites) {
                        continue;
                    }
                    checkedAfterWrites = writes[0];
                }
                try (ResultSet totals = sql.createStatement().executeQuery("""
                        SELECT coalesce(sum(enrollments), 0), coalesce(sum((revenue ->> 'KRW')::numeric), 0), count(*)
                        FROM report.dashboard_day""")) {
                    totals.next();
                    if (totals.getLong(1) == expected[0] && totals.getBigDecimal(2).longValue() == expected[1]) {
                        return totals.getLong(3);
                    }
                }
            }
        }
    }

    /** utime + stime of every process named postgres, plus the time of their reaped children (ticks of 10 ms). */
    private static long postgresCpuTicks() {
        long ticks = 0;
        java.io.File[] processes = new java.io.File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
        for (java.io.File process : processes == null ? new java.io.File[0] : processes) {
            try {
                String stat = Files.readString(process.toPath().resolve("stat"));
                int close = stat.lastIndexOf(')');
                if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                // Fields 14–17 of /proc/<pid>/stat: utime, stime, cutime, cstime; here offset by the two before ')'.
                for (int i = 11; i <= 14; i++) {
                    ticks += Long.parseLong(fields[i]);
                }
            } catch (java.io.IOException | RuntimeException gone) {
                // The process ended meanwhile.
            }
        }
        return ticks;
    }

    private record ThreadCpu(String name, long nanos) {
    }

    private static Map<Long, ThreadCpu> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, ThreadCpu> cpu = new java.util.HashMap<>();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null) {
                cpu.put(thread.getThreadId(), new ThreadCpu(thread.getThreadName(),
                        Math.max(0, threads.getThreadCpuTime(thread.getThreadId()))));
            }
        }
        return cpu;
    }

    /** CPU per thread group (names without digits) in the measured window; the rest is GC, JIT and ended threads. */
    private static void printThreadCpu(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after, double processCpu, int events) {
        Map<String, Long> groups = new java.util.TreeMap<>();
        long sum = 0;
        for (Map.Entry<Long, ThreadCpu> thread : after.entrySet()) {
            ThreadCpu earlier = before.get(thread.getKey());
            long nanos = thread.getValue().nanos() - (earlier == null ? 0 : earlier.nanos());
            String name = thread.getValue().name().replaceAll("dashboard-benchmark-[0-9a-f-]+", "streams").replaceAll("\\d+", "N");
            groups.merge(name, nanos, Long::sum);
            sum += nanos;
        }
        groups.put("(not a Java thread: GC, JIT compilers, threads that ended)", (long) (processCpu * 1e9) - sum);
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(14)
                .forEach(group -> System.out.printf("  %6.2f s  %5.1f µs/event  %s%n", group.getValue() / 1e9,
                        group.getValue() / 1e3 / events, group.getKey()));
    }

    private static double streamThreadCpuSeconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().contains("StreamThread")) {
                nanos += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return nanos / 1e9;
    }

    /** Produces the events; returns {expected enrollments, expected net KRW, duplicates sent}. */
    static long[] produce(String bootstrap, int events, SplittableRandom random, long firstStudent) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long enrollments = 0;
        long krw = 0;
        long duplicates = 0;
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            byte[] previous = null;
            String previousKey = null;
            for (int i = 0; i < events; i++) {
                if (previous != null && random.nextInt(100) == 0) {
                    producer.send(new ProducerRecord<>(Topics.LECTURE_ACTIVITY.name(), previousKey, previous));
                    duplicates++;
                    continue;
                }
                String instructor = "instructor-" + random.nextInt(INSTRUCTORS);
                String lecture = instructor + "-lecture-" + random.nextInt(LECTURES_PER_INSTRUCTOR);
                Instant at = FIRST_DAY.plusSeconds(random.nextLong(DAYS * 86_400L));
                int kind = random.nextInt(100);
                LectureActivityRecorded event;
                if (kind < 25) {
                    event = new LectureActivityRecorded(UUID.randomUUID().toString(), Type.ENROLLED, instructor, lecture,
                            "student-" + (firstStudent + i), null, null, null, at);
                    enrollments++;
                } else if (kind < 50) {
                    long amount = 1_000 + random.nextInt(100) * 1_000L;
                    event = new LectureActivityRecorded(UUID.randomUUID().toString(), Type.PAYMENT, instructor, lecture,
                            "student-" + (firstStudent + i), BigDecimal.valueOf(amount), "KRW", null, at);
                    krw += amount;
                } else if (kind < 55) {
                    long amount = 1_000 + random.nextInt(100) * 1_000L;
                    event = new LectureActivityRecorded(UUID.randomUUID().toString(), Type.REFUND, instructor, lecture,
                            "student-" + (firstStudent + i), BigDecimal.valueOf(amount), "KRW", null, at);
                    krw -= amount;
                } else {
                    event = new LectureActivityRecorded(UUID.randomUUID().toString(), Type.PROGRESS, instructor, lecture,
                            "student-" + (firstStudent + random.nextInt(Math.max(1, i))), null, null, random.nextInt(4) == 0 ? 1.0 : 0.5, at);
                }
                previousKey = instructor;
                previous = Topics.LECTURE_ACTIVITY.valueSerde().toJson(event);
                producer.send(new ProducerRecord<>(Topics.LECTURE_ACTIVITY.name(), instructor, previous));
            }
            producer.flush();
        }
        System.out.printf("producing took %.1f s%n", (System.nanoTime() - started) / 1e9);
        return new long[] {enrollments, krw, duplicates};
    }
}
