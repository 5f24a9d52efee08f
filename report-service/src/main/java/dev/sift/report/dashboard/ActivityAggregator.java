package dev.sift.report.dashboard;

import dev.sift.contracts.lecture.LectureActivityRecorded;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds lecture activity into {@link DailyAggregate}s per instructor, lecture and UTC day of
 * {@code occurredAt}, counting each {@code eventId} once, and every {@code writeInterval} hands the
 * days that changed to the {@link DailyAggregateWriter}, without waiting for it.
 */
final class ActivityAggregator implements Processor<String, LectureActivityRecorded, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ActivityAggregator.class);
    private static final char SEPARATOR = '\u001f';

    private final Duration deduplicationWindow;
    private final long bucketMillis;
    private final Duration writeInterval;
    private final DailyAggregateWriter writer;
    private @Nullable ProcessorContext<Void, Void> context;
    private @Nullable WindowStore<String, Long> eventIds;
    private @Nullable KeyValueStore<String, StudentProgress> students;
    private @Nullable KeyValueStore<String, DailyAggregate> daily;
    private @Nullable KeyValueStore<String, Long> unwritten;
    private @Nullable Write inFlight;

    ActivityAggregator(Duration deduplicationWindow, Duration writeInterval, DailyAggregateWriter writer) {
        this.deduplicationWindow = deduplicationWindow;
        this.bucketMillis = DashboardTopology.deduplicationBucket(deduplicationWindow).toMillis();
        this.writeInterval = writeInterval;
        this.writer = writer;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        eventIds = context.getStateStore(DashboardTopology.EVENT_IDS);
        students = context.getStateStore(DashboardTopology.STUDENTS);
        daily = context.getStateStore(DashboardTopology.DAILY);
        unwritten = context.getStateStore(DashboardTopology.UNWRITTEN);
        // Wall-clock, not stream time: a quiet partition must still get its last changes written.
        context.schedule(writeInterval, PunctuationType.WALL_CLOCK_TIME, now -> writeChangedDays());
    }

    @Override
    public void process(Record<String, LectureActivityRecorded> record) {
        LectureActivityRecorded event = record.value();
        if (event == null || !firstSighting(event.eventId())) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC);
        switch (event.type()) {
            case PAYMENT -> change(event, day, aggregate -> aggregate.addRevenue(currency(event), amount(event)));
            case REFUND -> change(event, day, aggregate -> aggregate.addRevenue(currency(event), amount(event).negate()));
            case ENROLLED -> enrolled(event, day);
            case PROGRESS -> progressed(event);
        }
    }

    /**
     * Ids are remembered by wall-clock time for at least {@code deduplicationWindow}: a redelivery or a
     * producer retry arrives within minutes, while remembering every id forever would grow the store
     * without bound. A duplicate older than the window (and its last quarter) counts again.
     *
     * <p>Each id is stored under the start of its {@link DashboardTopology#deduplicationBucket bucket} of wall-clock
     * time, so a check is a few point lookups (one per bucket of the window), which RocksDB answers from
     * its bloom filters for the usual case of an id never seen; a range fetch over the window had to open
     * and seek an iterator on every segment for every event.
     */
    private boolean firstSighting(String eventId) {
        long now = context().currentSystemTimeMs();
        long bucket = now - Math.floorMod(now, bucketMillis);
        long oldest = now - deduplicationWindow.toMillis();
        for (long start = bucket; start + bucketMillis > oldest; start -= bucketMillis) {
            if (eventIds().fetch(eventId, start) != null) {
                return false;
            }
        }
        eventIds().put(eventId, now, bucket);
        return true;
    }

    /** A student counts once per lecture, on the day of their first enrollment. */
    private void enrolled(LectureActivityRecorded event, LocalDate day) {
        String key = studentKey(event);
        StudentProgress student = students().get(key);
        if (student != null && student.enrolledOn() != null) {
            return;
        }
        boolean completed = student != null && student.completed();
        students().put(key, new StudentProgress(day, completed));
        change(event, day, aggregate -> aggregate.addEnrollment(completed));
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
            change(event, enrolledOn, DailyAggregate::addCompletion);
        }
    }

    private void change(LectureActivityRecorded event, LocalDate day, UnaryOperator<DailyAggregate> change) {
        String key = dayKey(event.instructorId(), event.lectureId(), day);
        DailyAggregate current = daily().get(key);
        DailyAggregate next = change.apply(current != null ? current
                : DailyAggregate.empty(event.instructorId(), event.lectureId(), day));
        daily().put(key, next);
        // A day already waiting for its write needs no new entry (and no new changelog record): the write
        // reads the newest snapshot from the daily store.
        if (unwritten().get(key) == null) {
            unwritten().put(key, next.version());
        }
    }

    /**
     * Once per write interval: settles the write in flight, if it finished, and starts the next one with
     * the days changed since. At most one write per task is in flight, so while Postgres is busy the
     * changes pile up on the same days and the next write carries them all; the stream thread never waits
     * for Postgres.
     */
    void writeChangedDays() {
        settleWrite();
        if (inFlight == null) {
            startWrite();
            // A writer that completes at once (tests) is settled in the same punctuation.
            settleWrite();
        }
    }

    private void startWrite() {
        List<DailyAggregate> snapshots = new ArrayList<>();
        try (KeyValueIterator<String, Long> changed = unwritten().all()) {
            while (changed.hasNext()) {
                DailyAggregate snapshot = daily().get(changed.next().key);
                if (snapshot != null) {
                    snapshots.add(snapshot);
                }
            }
        }
        if (snapshots.isEmpty()) {
            return;
        }
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
        List<KeyValue<String, Long>> done = new ArrayList<>(write.snapshots().size());
        for (DailyAggregate snapshot : write.snapshots()) {
            String key = dayKey(snapshot.instructorId(), snapshot.lectureId(), snapshot.day());
            DailyAggregate current = daily().get(key);
            if (current == null || current.version() == snapshot.version()) {
                done.add(KeyValue.pair(key, null));
            }
        }
        unwritten().putAll(done);
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
     * Store keys lead with eight hex digits of their hash. Nothing reads these stores in key order, but the
     * record caches and the in-memory store are sorted maps: with plain keys every comparison walked the long
     * common prefix ({@code instructor-…␟instructor-…-lecture-…}) byte by byte, a quarter of the stream
     * thread's time in the 1M-event benchmark. With the hash first, comparisons end within a byte or two.
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

    private WindowStore<String, Long> eventIds() {
        return Objects.requireNonNull(eventIds);
    }

    private KeyValueStore<String, StudentProgress> students() {
        return Objects.requireNonNull(students);
    }

    private KeyValueStore<String, DailyAggregate> daily() {
        return Objects.requireNonNull(daily);
    }

    private KeyValueStore<String, Long> unwritten() {
        return Objects.requireNonNull(unwritten);
    }
}
