package dev.sift.report.dashboard;

import java.util.Locale;

/** Bucket size of a dashboard; buckets start on the day, the ISO week's Monday or the month's first day. */
enum Granularity {
    DAY, WEEK, MONTH;

    /** The unit for Postgres {@code date_trunc}. */
    String unit() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Granularity parse(String value) {
        for (Granularity granularity : values()) {
            if (granularity.unit().equals(value)) {
                return granularity;
            }
        }
        throw new IllegalArgumentException("granularity must be day, week or month");
    }
}
