package dev.sift.report.reports;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A report's period is the UTC calendar month ({@code YYYY-MM}): an instructor gets one report a month, and
 * asking again within the month returns the stored one.
 */
final class ReportPeriod {

    private ReportPeriod() {
    }

    static String current(Clock clock) {
        return YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString();
    }
}
