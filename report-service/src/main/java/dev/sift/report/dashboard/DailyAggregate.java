package dev.sift.report.dashboard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to one lecture of one instructor on one UTC day: net revenue per currency, new
 * enrollments, and how many of those enrolled students have since completed the lecture.
 *
 * @param revenue payments minus refunds per ISO currency code; currencies are never converted or summed
 * @param completions students who enrolled on this day and have reached progress 1.0 by now
 * @param version how many changes this day has seen; a larger version is a newer snapshot
 */
record DailyAggregate(String instructorId, String lectureId, LocalDate day, Map<String, BigDecimal> revenue,
        long enrollments, long completions, long version) {

    DailyAggregate {
        revenue = Map.copyOf(revenue);
    }

    static DailyAggregate empty(String instructorId, String lectureId, LocalDate day) {
        return new DailyAggregate(instructorId, lectureId, day, Map.of(), 0, 0, 0);
    }

    DailyAggregate addRevenue(String currency, BigDecimal amount) {
        Map<String, BigDecimal> next = new TreeMap<>(revenue);
        next.merge(currency, amount, BigDecimal::add);
        return new DailyAggregate(instructorId, lectureId, day, next, enrollments, completions, version + 1);
    }

    DailyAggregate addEnrollment(boolean alreadyCompleted) {
        return new DailyAggregate(instructorId, lectureId, day, revenue, enrollments + 1,
                completions + (alreadyCompleted ? 1 : 0), version + 1);
    }

    DailyAggregate addCompletion() {
        return new DailyAggregate(instructorId, lectureId, day, revenue, enrollments, completions + 1, version + 1);
    }
}
