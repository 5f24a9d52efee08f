package dev.sift.report.dashboard;

import dev.sift.contracts.lecture.LectureActivityRecorded;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds lecture activity into {@link LectureDay}s per instructor, lecture and UTC day of {@code occurredAt},
 * counting each payment and refund once, and every {@code writeInterval} (every {@code catchUpWriteInterval}
 * while catching up on a backlog) hands the days that changed to the {@link DailyAggregateWriter}, without
 * waiting for it.
 *
 * <p>Duplicates: ENROLLED and PROGRESS are idempotent by themselves (a student enrolls in a lecture once, a
 * completion counts once), so only PAYMENT and REFUND need their {@code eventId}, and since a duplicate has the
 * same {@code occurredAt} it meets its original in the same day's state. No store of every event id, and no
 * lookup for the events that cannot double-count.
 */
final class ActivityAggregator implements Processor<String, LectureActivityRecorded, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ActivityAggregator.class);
    private static final char SEPARATOR = '\u001f';
    private static final Long MARKED = 1L;
    static final int IDLE_INTERVALS_ENDING_CATCH_UP = 3;
    /**
     * Day keys start with eight hex digits of their hash; the first three name the key's bucket, one of 4,096
     * contiguous key ranges of the day store. The changelogged {@code unwritten} store marks the buckets that hold a
     * day not yet written instead of the days themselves: a backfill of 1M events made ~180,000 days pending and
     * written again, 360,000 changelog records and sorted-map updates (DashboardBenchmark: 12 % of the stream
     * thread's CPU and 84k instead of 95k events/s), where buckets cost at most 4,096 of each per write. After a
     * restart every day of a marked bucket is taken as pending and written again (harmless: the writer replaces a
     * row only with a newer version), which bounds the extra writes by the bucket's size.
     */
    static final int BUCKETS = 4096;

    private final Duration writeInterval;
    private final long catchUpWriteIntervalMs;
    private final long catchUpLag;
    private final PartitionLag lag;
    private final DailyAggregateWriter writer;
    private @Nullable ProcessorContext<Void, Void> context;
    private @Nullable KeyValueStore<String, StudentProgress> students;
    private @Nullable KeyValueStore<String, LectureDay> daily;
    private @Nullable KeyValueStore<String, Long> unwritten;
    private @Nullable Write inFlight;
    /**
     * The days changed since their last write, in memory; what survives a restart is the buckets they are in
     * ({@code unwritten}): see {@link #init}.
     */
    private final Set<String> pending = new HashSet<>();
    /** How many of {@link #pending} are in each bucket; a bucket is marked in {@code unwritten} while above 0. */
    private final int[] pendingInBucket = new int[BUCKETS];
    private long catchUpSinceMs = -1;
    /** Write intervals in a row in which this task processed no record, and whether it processed one in this one. */
    private int idleIntervals;
    private boolean processedInInterval;
    private long lastWriteMs = Long.MIN_VALUE;

    ActivityAggregator(Duration writeInterval, Duration catchUpWriteInterval, long catchUpLag, PartitionLag lag,
            DailyAggregateWriter writer) {
        this.writeInterval = writeInterval;
        this.catchUpWriteIntervalMs = catchUpWriteInterval.toMillis();
        this.catchUpLag = catchUpLag;
        this.lag = lag;
        this.writer = writer;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        students = context.getStateStore(DashboardTopology.STUDENTS);
        daily = context.getStateStore(DashboardTopology.DAILY);
        unwritten = context.getStateStore(DashboardTopology.UNWRITTEN);
        inFlight = null;
        pending.clear();
        Arrays.fill(pendingInBucket, 0);
        List<String> marked = new ArrayList<>();
        List<String> legacyDays = new ArrayList<>();
        try (KeyValueIterator<String, Long> entries = unwritten.all()) {
            // Bucket markers; before session 6 the store held the pending days' own keys, which still count.
            entries.forEachRemaining(entry -> (entry.key.length() == 3 ? marked : legacyDays).add(entry.key));
        }
        for (String bucket : marked) {
            // Every day in a marked bucket may be unwritten. A day key is eight hex digits, the separator (0x1f) and
            // the rest, so "xxx00000" is below every key of bucket "xxx" and "xxxfffff " (a space, 0x20) above it.
            try (KeyValueIterator<String, LectureDay> days = daily.range(bucket + "00000", bucket + "fffff ")) {
                days.forEachRemaining(day -> addPending(day.key));
            }
        }
        List<KeyValue<String, Long>> converted = new ArrayList<>();
        for (String day : legacyDays) {
            if (daily.get(day) != null && addPending(day)) {
                converted.add(KeyValue.pair(bucketKey(day), MARKED));
            }
            converted.add(KeyValue.pair(day, null));
        }
        unwritten.putAll(converted);
        // Wall-clock, not stream time: a quiet partition must still get its last changes written.
        context.schedule(writeInterval, PunctuationType.WALL_CLOCK_TIME, this::writeChangedDays);
    }

    @Override
    public void process(Record<String, LectureActivityRecorded> record) {
        LectureActivityRecorded event = record.value();
        if (event == null) {
            return;
        }
        processedInInterval = true;
        switch (event.type()) {
            case PAYMENT -> paid(event, amount(event));
            case REFUND -> paid(event, amount(event).negate());
            case ENROLLED -> enrolled(event);
            case PROGRESS -> progressed(event);
        }
    }

    /** A payment or refund counts once per {@code eventId}: its day remembers the ids it counted. */
    private void paid(LectureActivityRecorded event, BigDecimal amount) {
        LocalDate day = LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC);
        String key = dayKey(event.instructorId(), event.lectureId(), day);
        LectureDay lectureDay = day(key, event, day);
        if (lectureDay.addPayment(event.eventId(), currency(event), amount)) {
            changed(key, lectureDay);
        }
    }

    /** A student counts once per lecture, on the day of their first enrollment. */
    private void enrolled(LectureActivityRecorded event) {
        String key = studentKey(event);
        StudentProgress student = students().get(key);
        if (student != null && student.enrolledOn() != null) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC);
        boolean completed = student != null && student.completed();
        students().put(key, new StudentProgress(day, completed));
        String dayKey = dayKey(event.instructorId(), event.lectureId(), day);
        LectureDay lectureDay = day(dayKey, event, day);
        lectureDay.addEnrollment(completed);
        changed(dayKey, lectureDay);
    }

    /** Only reaching 1.0 matters; the completion counts in the bucket of the student's enrollment day. */
    private void progressed(LectureActivityRecorded event) {
        Double progress = event.progress();
        if (progress == null || progress < 1.0) {
            return;
        }
        String key = studentKey(event);
        StudentProgress student = students().get(key);
        if (student != null && student.completed()) {
            return;
        }
        LocalDate enrolledOn = student == null ? null : student.enrolledOn();
        students().put(key, new StudentProgress(enrolledOn, true));
        if (enrolledOn != null) {
            String dayKey = dayKey(event.instructorId(), event.lectureId(), enrolledOn);
            LectureDay lectureDay = day(dayKey, event, enrolledOn);
            lectureDay.addCompletion();
            changed(dayKey, lectureDay);
        }
    }

    private LectureDay day(String key, LectureActivityRecorded event, LocalDate day) {
        LectureDay current = daily().get(key);
        return current != null ? current : new LectureDay(event.instructorId(), event.lectureId(), day);
    }

    private void changed(String key, LectureDay day) {
        // Put back, even if it is the same object: that marks it changed for the next flush (and commit).
        daily().put(key, day);
        // A day already waiting for its write needs no new entry: the write reads the newest snapshot from the
        // daily store. The bucket is marked (one changelog record) only when it gets its first pending day.
        if (addPending(key)) {
            unwritten().put(bucketKey(key), MARKED);
        }
    }

    /** Adds a day to {@link #pending}; true if it is the first pending day of its bucket (which is to be marked). */
    private boolean addPending(String key) {
        return pending.add(key) && pendingInBucket[bucket(key)]++ == 0;
    }

    /** Removes a written day from {@link #pending}; true if it was the last of its bucket (to be unmarked). */
    private boolean removePending(String key) {
        return pending.remove(key) && --pendingInBucket[bucket(key)] == 0;
    }

    /** The bucket of a day key, as the {@code unwritten} store names it: the key's first three hex digits. */
    private static String bucketKey(String dayKey) {
        return dayKey.substring(0, 3);
    }

    /** The bucket of a day key as an index into {@link #pendingInBucket}: its first three hex digits' value. */
    static int bucket(String dayKey) {
        return Character.digit(dayKey.charAt(0), 16) << 8 | Character.digit(dayKey.charAt(1), 16) << 4
                | Character.digit(dayKey.charAt(2), 16);
    }

    /**
     * Once per write interval: settles the write in flight, if it finished, and starts the next one with
     * the days changed since. At most one write per task is in flight, so while Postgres is busy the
     * changes pile up on the same days and the next write carries them all; the stream thread never waits
     * for Postgres.
     */
    void writeChangedDays(long now) {
        settleWrite();
        if (inFlight == null && !deferredForCatchUp(now)) {
            startWrite(now);
            // A writer that completes at once (tests) is settled in the same punctuation.
            settleWrite();
        }
    }

    /**
     * While the consumer is more than {@code catchUpLag} records behind on this task's partition (a backlog after
     * downtime, a backfill, a replay), the dashboards are behind anyway, and writing every second would upsert
     * every day many times over: a 1M-event catch-up touches most days every second. So days are written every
     * {@code catchUpWriteInterval} instead (about once per catch-up), counted from the later of the last write
     * and the start of the catch-up. Once the lag is below the threshold, or no record arrived in the last
     * {@value #IDLE_INTERVALS_ENDING_CATCH_UP} intervals (the backlog is done, and the consumer's lag metric is stale
     * for a partition it paused; one idle interval can also be a stall under load), the normal interval applies.
     */
    private boolean deferredForCatchUp(long now) {
        idleIntervals = processedInInterval ? 0 : idleIntervals + 1;
        processedInInterval = false;
        boolean idle = idleIntervals >= IDLE_INTERVALS_ENDING_CATCH_UP;
        if (idle || lag.records(context().taskId().partition()) <= catchUpLag) {
            catchUpSinceMs = -1;
            return false;
        }
        if (catchUpSinceMs < 0) {
            catchUpSinceMs = now;
        }
        return now - Math.max(catchUpSinceMs, lastWriteMs) < catchUpWriteIntervalMs;
    }

    private void startWrite(long now) {
        List<DailyAggregate> snapshots = new ArrayList<>();
        for (String key : pending) {
            LectureDay day = daily().get(key);
            if (day != null) {
                snapshots.add(day.snapshot());
            }
        }
        if (snapshots.isEmpty()) {
            return;
        }
        lastWriteMs = now;
        CompletableFuture<Void> write;
        try {
            write = writer.write(snapshots).toCompletableFuture();
        } catch (RuntimeException e) {
            write = CompletableFuture.failedFuture(e);
        }
        inFlight = new Write(snapshots, write);
    }

    /**
     * A finished write forgets the days it wrote, unless they changed again meanwhile (their snapshot's
     * version moved on); those stay for the next write. A failed write forgets nothing: its days are
     * written again at the next interval. Forgetting commits in the same Streams transaction as later
     * events, so a crash before that commit only means the same snapshots are written again, which the
     * writer's version check makes harmless.
     */
    private void settleWrite() {
        Write write = inFlight;
        if (write == null || !write.result().isDone()) {
            return;
        }
        inFlight = null;
        try {
            write.result().join();
        } catch (CompletionException | CancellationException e) {
            // The message only: while Postgres is down this repeats every interval.
            log.warn("Writing {} dashboard days failed ({}); they stay pending and are written again at the next interval",
                    write.snapshots().size(), String.valueOf(e.getCause() != null ? e.getCause() : e));
            return;
        }
        List<KeyValue<String, Long>> emptied = new ArrayList<>();
        for (DailyAggregate snapshot : write.snapshots()) {
            String key = dayKey(snapshot.instructorId(), snapshot.lectureId(), snapshot.day());
            LectureDay current = daily().get(key);
            if ((current == null || current.version() == snapshot.version()) && removePending(key)) {
                emptied.add(KeyValue.pair(bucketKey(key), null));
            }
        }
        unwritten().putAll(emptied);
        log.debug("Wrote {} changed dashboard days", write.snapshots().size());
    }

    @Override
    public void close() {
        // A write still in flight is left to finish on its own: its days stay in the (changelogged) pending
        // store, so whoever runs this task next writes them again.
        inFlight = null;
    }

    private record Write(List<DailyAggregate> snapshots, CompletableFuture<Void> result) {
    }

    static String dayKey(String instructorId, String lectureId, LocalDate day) {
        return hashed(instructorId + SEPARATOR + lectureId + SEPARATOR + day);
    }

    private static String studentKey(LectureActivityRecorded event) {
        return hashed(event.instructorId() + SEPARATOR + event.lectureId() + SEPARATOR + event.studentId());
    }

    /**
     * Store keys lead with eight hex digits of their hash. Nothing reads these stores in key order, but RocksDB
     * and the in-memory store (a sorted map) compare keys: with plain keys every comparison walked the long
     * common prefix ({@code instructor-…␟instructor-…-lecture-…}) byte by byte, which was a quarter of the
     * stream thread's time in the 1M-event benchmark when Kafka Streams' (sorted) record cache was in use. With
     * the hash first, comparisons end within a byte or two.
     */
    private static String hashed(String key) {
        String hash = Integer.toHexString(key.hashCode());
        return "00000000".substring(hash.length()) + hash + SEPARATOR + key;
    }

    private static String currency(LectureActivityRecorded event) {
        return event.currency().toUpperCase(Locale.ROOT);
    }

    /** The sign comes from the type, so a refund sent with a negative amount still subtracts. */
    private static BigDecimal amount(LectureActivityRecorded event) {
        return event.amount().abs();
    }

    private ProcessorContext<Void, Void> context() {
        return Objects.requireNonNull(context);
    }

    private KeyValueStore<String, StudentProgress> students() {
        return Objects.requireNonNull(students);
    }

    private KeyValueStore<String, LectureDay> daily() {
        return Objects.requireNonNull(daily);
    }

    private KeyValueStore<String, Long> unwritten() {
        return Objects.requireNonNull(unwritten);
    }
}
