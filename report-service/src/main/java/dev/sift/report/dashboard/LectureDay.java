package dev.sift.report.dashboard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The aggregator's working state for one lecture of one instructor on one UTC day: the totals of a
 * {@link DailyAggregate} plus the ids of the payments and refunds already counted, which is how those are
 * deduplicated. Mutable, because it lives in a {@link WriteBackStore} and changes with every event of its day;
 * the writer gets immutable {@link #snapshot()}s.
 *
 * <p>A duplicate is the same event, so it has the same {@code occurredAt}, hence the same day as the original:
 * the day's own id set finds it, however late it arrives, without a store of every event id.
 */
final class LectureDay {

    private final String instructorId;
    private final String lectureId;
    private final LocalDate day;
    private final Map<String, BigDecimal> revenue;
    private final Set<String> countedPayments;
    private long enrollments;
    private long completions;
    private long version;

    LectureDay(String instructorId, String lectureId, LocalDate day) {
        this(instructorId, lectureId, day, new TreeMap<>(), 0, 0, 0, new HashSet<>());
    }

    LectureDay(String instructorId, String lectureId, LocalDate day, Map<String, BigDecimal> revenue, long enrollments,
            long completions, long version, Collection<String> countedPayments) {
        this.instructorId = instructorId;
        this.lectureId = lectureId;
        this.day = day;
        this.revenue = new TreeMap<>(revenue);
        this.enrollments = enrollments;
        this.completions = completions;
        this.version = version;
        this.countedPayments = new HashSet<>(countedPayments);
    }

    /**
     * Adds a payment ({@code amount} positive) or refund (negative) unless this event id was counted already.
     *
     * @return whether it counted
     */
    boolean addPayment(String eventId, String currency, BigDecimal amount) {
        if (!countedPayments.add(eventId)) {
            return false;
        }
        revenue.merge(currency, amount, BigDecimal::add);
        version++;
        return true;
    }

    void addEnrollment(boolean alreadyCompleted) {
        enrollments++;
        if (alreadyCompleted) {
            completions++;
        }
        version++;
    }

    void addCompletion() {
        completions++;
        version++;
    }

    DailyAggregate snapshot() {
        return new DailyAggregate(instructorId, lectureId, day, revenue, enrollments, completions, version);
    }

    String instructorId() {
        return instructorId;
    }

    String lectureId() {
        return lectureId;
    }

    LocalDate day() {
        return day;
    }

    Map<String, BigDecimal> revenue() {
        return revenue;
    }

    Set<String> countedPayments() {
        return countedPayments;
    }

    long enrollments() {
        return enrollments;
    }

    long completions() {
        return completions;
    }

    long version() {
        return version;
    }
}
