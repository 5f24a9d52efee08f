package dev.sift.report.dashboard;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * One student in one lecture, as far as the dashboards need: the day they enrolled (whose bucket
 * their completion counts in) and whether they have completed. Progress can arrive before the
 * enrollment, so either part may come first.
 */
record StudentProgress(@Nullable LocalDate enrolledOn, boolean completed) {
}
