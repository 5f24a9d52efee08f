package dev.sift.report.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.LectureActivityRecorded.Type;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production dashboard topology on {@link TopologyTestDriver}, with an in-memory writer that keeps the newest snapshot. */
class DashboardTopologyTest {

    static final Duration WRITE_INTERVAL = Duration.ofSeconds(1);
    static final Duration CATCH_UP_WRITE_INTERVAL = Duration.ofSeconds(60);
    static final long CATCH_UP_LAG = 10_000;
    static final Instant START = Instant.parse("2026-11-21T00:00:00Z");
    static final String INSTRUCTOR = "instructor-1";
    static final String LECTURE = "lecture-1";
    static final Instant NOV_20 = Instant.parse("2026-11-20T10:00:00Z");
    static final LocalDate DAY_20 = LocalDate.parse("2026-11-20");

    @TempDir
    Path stateDirectory;

    final LatestSnapshots written = new LatestSnapshots();
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> activity;
    /** The driver's wall clock; records are stamped with it. */
    Instant now = START;
    /** What the aggregator is told its consumer lag is (the driver has no consumer). */
    long lag;

    @BeforeEach
    void startDriver() {
        // Three cached objects per store (production: tens of thousands), so that the tests also run through
        // evictions and reads from RocksDB.
        startDriver(3);
    }

    /** The production settings (exactly-once, skipping undeserializable records), state in a temp dir. */
    void startDriver(int cachedEntries) {
        DashboardProperties properties = new DashboardProperties("dashboard-test", stateDirectory.toString(),
                Duration.ofMillis(100), WRITE_INTERVAL, CATCH_UP_WRITE_INTERVAL, CATCH_UP_LAG, 1, cachedEntries, cachedEntries);
        driver = new TopologyTestDriver(DashboardTopology.build(new StreamsBuilder(), properties, partition -> lag, written),
                DashboardStreams.config("unused:9092", properties), now);
        // Raw bytes in, as the broker delivers them, so a malformed record can be sent too.
        activity = driver.createInputTopic(Topics.LECTURE_ACTIVITY.name(), new StringSerializer(),
                Serdes.ByteArray().serializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void refundsSubtractFromTheDayOfTheRefund() {
        send(payment("KRW", "50000", NOV_20), payment("KRW", "30000", NOV_20.plusSeconds(60)),
                refund("KRW", "30000", NOV_20.plusSeconds(120)), refund("KRW", "-5000", NOV_20.plus(Duration.ofDays(1))));
        flush();

        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("50000")));
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20.plusDays(1)).revenue())
                .containsExactly(Map.entry("KRW", new BigDecimal("-5000")));
    }

    @Test
    void aDuplicateEventIdCountsOnce() {
        LectureActivityRecorded payment = payment("KRW", "10000", NOV_20);
        LectureActivityRecorded enrolled = enrolled("student-1", NOV_20);
        send(payment, enrolled, payment, enrolled);
        flush();
        send(payment, enrolled);
        flush();

        DailyAggregate day = written.day(INSTRUCTOR, LECTURE, DAY_20);
        assertThat(day.revenue()).containsExactly(Map.entry("KRW", new BigDecimal("10000")));
        assertThat(day.enrollments()).isEqualTo(1);
    }

    @Test
    void aDuplicatePaymentOrRefundCountsOnceHoweverLateItArrives() {
        LectureActivityRecorded payment = payment("KRW", "10000", NOV_20);
        LectureActivityRecorded refund = refund("KRW", "3000", NOV_20);
        send(payment, refund);
        flush();
        advance(Duration.ofDays(400));
        send(payment, refund, payment("KRW", "1", NOV_20));
        flush();

        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("7001")));
    }

    @Test
    void duplicateEnrollmentsAndCompletionsCountOnce() {
        LectureActivityRecorded enrolled = enrolled("student-1", NOV_20);
        LectureActivityRecorded completed = progress("student-1", 1.0, NOV_20.plusSeconds(60));
        send(enrolled, completed, enrolled, completed);
        flush();
        advance(Duration.ofDays(30));
        send(completed, enrolled);
        flush();

        DailyAggregate day = written.day(INSTRUCTOR, LECTURE, DAY_20);
        assertThat(day.enrollments()).isEqualTo(1);
        assertThat(day.completions()).isEqualTo(1);
    }

    @Test
    void whileCatchingUpDaysAreWrittenEveryCatchUpIntervalAndAtOnceWhenTheBacklogEnds() {
        lag = CATCH_UP_LAG + 1;
        for (int second = 0; second < 150; second++) {
            send(payment("KRW", "1", NOV_20));
            flush();
        }
        assertThat(written.calls).as("writes after 60 s and 120 s of the catch-up only").hasSize(2);
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("121")));

        flush();
        flush();
        assertThat(written.calls).as("two idle intervals may be a stall").hasSize(2);
        flush();
        assertThat(written.calls).as("no record in three intervals: the backlog is done, whatever the lag metric says")
                .hasSize(3);
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("150")));

        send(payment("KRW", "1", NOV_20));
        flush();
        assertThat(written.calls).as("records again with a high lag: a new catch-up").hasSize(3);
        lag = CATCH_UP_LAG;
        send(payment("KRW", "1", NOV_20));
        flush();
        assertThat(written.calls).as("the lag is down to the threshold: written at once").hasSize(4);
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("152")));
    }

    @Test
    void currenciesStayApart() {
        send(payment("KRW", "10000", NOV_20), payment("usd", "12.50", NOV_20), payment("USD", "7.50", NOV_20));
        flush();

        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue())
                .containsOnly(Map.entry("KRW", new BigDecimal("10000")), Map.entry("USD", new BigDecimal("20.00")));
    }

    @Test
    void lateEventsLandInTheDayTheyHappened() {
        send(enrolled("student-1", NOV_20), payment("KRW", "10000", NOV_20));
        flush();
        Instant monthAgo = Instant.parse("2026-10-15T23:59:59Z");
        send(enrolled("student-2", monthAgo), payment("KRW", "7000", monthAgo));
        flush();

        DailyAggregate late = written.day(INSTRUCTOR, LECTURE, LocalDate.parse("2026-10-15"));
        assertThat(late.enrollments()).isEqualTo(1);
        assertThat(late.revenue()).containsExactly(Map.entry("KRW", new BigDecimal("7000")));
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).enrollments()).isEqualTo(1);
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("10000")));
    }

    @Test
    void daysUseUtcAcrossMidnight() {
        send(payment("KRW", "1", Instant.parse("2026-11-20T23:59:59.999Z")), payment("KRW", "2", Instant.parse("2026-11-21T00:00:00Z")));
        flush();

        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("1")));
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20.plusDays(1)).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("2")));
    }

    @Test
    void completionsCountInTheEnrollmentDayOnceProgressReachesOne() {
        send(enrolled("student-1", NOV_20), enrolled("student-2", NOV_20), enrolled("student-3", NOV_20),
                progress("student-1", 0.5, NOV_20.plus(Duration.ofDays(3))),
                progress("student-2", 1.0, NOV_20.plus(Duration.ofDays(5))),
                progress("student-2", 1.0, NOV_20.plus(Duration.ofDays(6))),
                progress("student-3", 0.99, NOV_20.plus(Duration.ofDays(6))));
        flush();

        DailyAggregate day = written.day(INSTRUCTOR, LECTURE, DAY_20);
        assertThat(day.enrollments()).isEqualTo(3);
        assertThat(day.completions()).isEqualTo(1);
        assertThat(written.snapshots).doesNotContainKey(key(INSTRUCTOR, LECTURE, DAY_20.plusDays(5)));
    }

    @Test
    void progressBeforeItsEnrollmentStillCountsAndAStudentEnrollsOnce() {
        send(progress("student-1", 1.0, NOV_20), enrolled("student-1", NOV_20.plusSeconds(5)),
                enrolled("student-1", NOV_20.plus(Duration.ofDays(2))));
        flush();

        DailyAggregate day = written.day(INSTRUCTOR, LECTURE, DAY_20);
        assertThat(day.enrollments()).isEqualTo(1);
        assertThat(day.completions()).isEqualTo(1);
        assertThat(written.snapshots).doesNotContainKey(key(INSTRUCTOR, LECTURE, DAY_20.plusDays(2)));
    }

    @Test
    void instructorsAndLecturesAggregateSeparately() {
        send(payment("KRW", "100", NOV_20), event(Type.PAYMENT, "instructor-2", LECTURE, "s", new BigDecimal("200"), "KRW", null, NOV_20),
                event(Type.PAYMENT, INSTRUCTOR, "lecture-2", "s", new BigDecimal("300"), "KRW", null, NOV_20));
        flush();

        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsEntry("KRW", new BigDecimal("100"));
        assertThat(written.day("instructor-2", LECTURE, DAY_20).revenue()).containsEntry("KRW", new BigDecimal("200"));
        assertThat(written.day(INSTRUCTOR, "lecture-2", DAY_20).revenue()).containsEntry("KRW", new BigDecimal("300"));
    }

    @Test
    void writesOnlyDaysThatChangedAndNewerVersionsEachTime() {
        send(payment("KRW", "100", NOV_20));
        flush();
        assertThat(written.calls).containsExactly(1);
        long firstVersion = written.day(INSTRUCTOR, LECTURE, DAY_20).version();

        flush();
        assertThat(written.calls).as("nothing changed, nothing written").containsExactly(1);

        send(payment("KRW", "100", NOV_20));
        flush();
        assertThat(written.calls).containsExactly(1, 1);
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).version()).isGreaterThan(firstVersion);
    }

    @Test
    void skipsRecordsThatAreNotLectureActivity() {
        activity.pipeInput(INSTRUCTOR, "{\"type\":\"PAYMENT\"}".getBytes());
        send(payment("KRW", "100", NOV_20));
        flush();

        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("100")));
    }

    @Test
    void aFailedWriteKeepsTheDayPendingAndTheNextIntervalWritesIt() {
        written.failNext = true;
        send(payment("KRW", "100", NOV_20));

        flush();
        assertThat(written.snapshots).isEmpty();
        // What survives a restart: the bucket (key range) of the pending day.
        assertThat(pendingKeys()).containsExactly(
                bucketKey(ActivityAggregator.dayKey(INSTRUCTOR, LECTURE, DAY_20)));

        flush();
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("100")));
        assertThat(pendingKeys()).isEmpty();
    }

    @Test
    void aDayThatChangesWhileItsWriteIsInFlightIsWrittenAgain() {
        written.holdNext = true;
        send(payment("KRW", "100", NOV_20));
        flush();
        send(payment("KRW", "50", NOV_20), payment("KRW", "7", NOV_20.plus(Duration.ofDays(1))));
        flush();
        assertThat(written.calls).as("no second write while one is in flight").isEmpty();

        written.held.complete(null);
        flush();
        flush();

        assertThat(written.calls).containsExactly(1, 2);
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20).revenue()).containsExactly(Map.entry("KRW", new BigDecimal("150")));
        assertThat(written.day(INSTRUCTOR, LECTURE, DAY_20.plusDays(1)).revenue())
                .containsExactly(Map.entry("KRW", new BigDecimal("7")));
        assertThat(pendingKeys()).isEmpty();
    }

    @Test
    void aBucketStaysMarkedUntilItsLastPendingDayIsWritten() {
        // Two days whose keys fall in the same bucket (of 4,096; found by trying the days after Nov 20).
        LocalDate first = DAY_20;
        LocalDate second = null;
        for (LocalDate day = first.plusDays(1); second == null; day = day.plusDays(1)) {
            if (bucketKey(ActivityAggregator.dayKey(INSTRUCTOR, LECTURE, day))
                    .equals(bucketKey(ActivityAggregator.dayKey(INSTRUCTOR, LECTURE, first)))) {
                second = day;
            }
        }
        String bucket = bucketKey(ActivityAggregator.dayKey(INSTRUCTOR, LECTURE, first));
        written.holdNext = true;
        send(payment("KRW", "100", NOV_20));
        flush();
        send(payment("KRW", "5", second.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC)));
        assertThat(pendingKeys()).containsExactly(bucket);

        // The first day's write completes; the second's fails: the bucket still holds a pending day.
        written.held.complete(null);
        written.failNext = true;
        flush();
        assertThat(written.day(INSTRUCTOR, LECTURE, first).revenue()).containsEntry("KRW", new BigDecimal("100"));
        assertThat(pendingKeys()).containsExactly(bucket);

        flush();
        assertThat(written.day(INSTRUCTOR, LECTURE, second).revenue()).containsEntry("KRW", new BigDecimal("5"));
        assertThat(pendingKeys()).isEmpty();
    }

    private static String bucketKey(String dayKey) {
        return dayKey.substring(0, 3);
    }

    private List<String> pendingKeys() {
        KeyValueStore<String, Long> unwritten = driver.getKeyValueStore(DashboardTopology.UNWRITTEN);
        List<String> keys = new ArrayList<>();
        try (var pending = unwritten.all()) {
            pending.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    private void flush() {
        advance(WRITE_INTERVAL);
    }

    private void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
        now = now.plus(duration);
    }

    private void send(LectureActivityRecorded... events) {
        for (LectureActivityRecorded event : events) {
            activity.pipeInput(event.instructorId(), Topics.LECTURE_ACTIVITY.valueSerde().toJson(event), now);
        }
    }

    static LectureActivityRecorded payment(String currency, String amount, Instant at) {
        return event(Type.PAYMENT, INSTRUCTOR, LECTURE, "student-1", new BigDecimal(amount), currency, null, at);
    }

    static LectureActivityRecorded refund(String currency, String amount, Instant at) {
        return event(Type.REFUND, INSTRUCTOR, LECTURE, "student-1", new BigDecimal(amount), currency, null, at);
    }

    static LectureActivityRecorded enrolled(String student, Instant at) {
        return event(Type.ENROLLED, INSTRUCTOR, LECTURE, student, null, null, null, at);
    }

    static LectureActivityRecorded progress(String student, double progress, Instant at) {
        return event(Type.PROGRESS, INSTRUCTOR, LECTURE, student, null, null, progress, at);
    }

    static LectureActivityRecorded event(Type type, String instructor, String lecture, String student,
            @Nullable BigDecimal amount, @Nullable String currency, @Nullable Double progress, Instant at) {
        return new LectureActivityRecorded(UUID.randomUUID().toString(), type, instructor, lecture, student, amount,
                currency, progress, at);
    }

    static String key(String instructor, String lecture, LocalDate day) {
        return instructor + "/" + lecture + "/" + day;
    }

    /** Keeps the newest snapshot per day, as the Postgres upsert does; can fail once on demand. */
    static final class LatestSnapshots implements DailyAggregateWriter {

        final Map<String, DailyAggregate> snapshots = new HashMap<>();
        final List<Integer> calls = new ArrayList<>();
        boolean failNext;
        /** Makes the next write wait until {@link #held} is completed, like a slow database. */
        boolean holdNext;
        @Nullable CompletableFuture<Void> held;

        @Override
        public CompletionStage<Void> write(List<DailyAggregate> batch) {
            if (failNext) {
                failNext = false;
                return CompletableFuture.failedFuture(new IllegalStateException("database down"));
            }
            if (holdNext) {
                holdNext = false;
                held = new CompletableFuture<>();
                return held.thenRun(() -> store(batch));
            }
            store(batch);
            return CompletableFuture.completedFuture(null);
        }

        private void store(List<DailyAggregate> batch) {
            calls.add(batch.size());
            for (DailyAggregate snapshot : batch) {
                snapshots.merge(key(snapshot.instructorId(), snapshot.lectureId(), snapshot.day()), snapshot,
                        (old, fresh) -> fresh.version() > old.version() ? fresh : old);
            }
        }

        DailyAggregate day(String instructor, String lecture, LocalDate day) {
            DailyAggregate snapshot = snapshots.get(key(instructor, lecture, day));
            assertThat(snapshot).as("snapshot of %s/%s/%s", instructor, lecture, day).isNotNull();
            return snapshot;
        }
    }
}
