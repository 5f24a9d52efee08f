package dev.sift.report.dashboard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

/**
 * A snapshot of what happened to one lecture of one instructor on one UTC day, as the writer stores it: net
 * revenue per currency, new enrollments, and how many of those enrolled students have since completed the
 * lecture. Taken from a {@link LectureDay} when a write starts, so the write never sees later changes.
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
}
