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
 * days that changed to the {@link DailyAggregateWriter}.
 */
final class ActivityAggregator implements Processor<String, LectureActivityRecorded, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ActivityAggregator.class);
    private static final char SEPARATOR = '\u001f';
    static final int WRITE_BATCH = 2_000;

    private final Duration deduplicationWindow;
    private final Duration writeInterval;
    private final DailyAggregateWriter writer;
    private @Nullable ProcessorContext<Void, Void> context;
    private @Nullable WindowStore<String, Long> eventIds;
    private @Nullable KeyValueStore<String, StudentProgress> students;
    private @Nullable KeyValueStore<String, DailyAggregate> daily;
    private @Nullable KeyValueStore<String, Long> unwritten;

    ActivityAggregator(Duration deduplicationWindow, Duration writeInterval, DailyAggregateWriter writer) {
        this.deduplicationWindow = deduplicationWindow;
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
     * Ids are remembered by wall-clock time for {@code deduplicationWindow}: a redelivery or a
     * producer retry arrives within minutes, while remembering every id forever would grow the store
     * without bound. A duplicate older than the window counts again.
     */
    private boolean firstSighting(String eventId) {
        long now = context().currentSystemTimeMs();
        try (WindowStoreIterator<Long> seen = eventIds().fetch(eventId, now - deduplicationWindow.toMillis(), now)) {
            if (seen.hasNext()) {
                return false;
            }
        }
        eventIds().put(eventId, now, now);
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
        String key = event.instructorId() + SEPARATOR + event.lectureId() + SEPARATOR + day;
        DailyAggregate current = daily().get(key);
        DailyAggregate next = change.apply(current != null ? current
                : DailyAggregate.empty(event.instructorId(), event.lectureId(), day));
        daily().put(key, next);
        unwritten().put(key, next.version());
    }

    /**
     * Writes the changed days in batches and forgets them only after the writer returned; if the
     * writer throws, the task's transaction aborts and the same days are written again later.
     */
    void writeChangedDays() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> changed = unwritten().all()) {
            while (changed.hasNext()) {
                keys.add(changed.next().key);
            }
        }
        for (int from = 0; from < keys.size(); from += WRITE_BATCH) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + WRITE_BATCH));
            List<DailyAggregate> snapshots = new ArrayList<>(batch.size());
            for (String key : batch) {
                DailyAggregate snapshot = daily().get(key);
                if (snapshot != null) {
                    snapshots.add(snapshot);
                }
            }
            writer.write(snapshots);
            List<KeyValue<String, Long>> done = new ArrayList<>(batch.size());
            for (String key : batch) {
                done.add(KeyValue.pair(key, null));
            }
            unwritten().putAll(done);
        }
        if (!keys.isEmpty()) {
            log.debug("Wrote {} changed dashboard days", keys.size());
        }
    }

    private static String studentKey(LectureActivityRecorded event) {
        return event.instructorId() + SEPARATOR + event.lectureId() + SEPARATOR + event.studentId();
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
