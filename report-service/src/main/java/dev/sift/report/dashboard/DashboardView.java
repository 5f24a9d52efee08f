package dev.sift.report.dashboard;

import java.math.BigDecimal;
import java.util.List;

/**
 * The dashboard answer: net revenue per bucket and currency, enrollments per bucket, and the share
 * of students who enrolled in the range that have completed by now (0 when nobody enrolled).
 */
record DashboardView(List<Revenue> revenue, List<Enrollments> enrollments, double completionRate) {

    /** @param bucket first day of the bucket, {@code YYYY-MM-DD} */
    record Revenue(String bucket, BigDecimal amount, String currency) {
    }

    /** @param bucket first day of the bucket, {@code YYYY-MM-DD} */
    record Enrollments(String bucket, long count) {
    }
}
