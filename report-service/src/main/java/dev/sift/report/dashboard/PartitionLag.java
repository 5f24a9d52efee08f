package dev.sift.report.dashboard;

/**
 * How far this replica's consumer is behind on one partition of {@code sift.lecture.activity.v1}: records between
 * its fetch position and the end of the partition. Zero when unknown (no fetch yet, a test without a broker), so
 * that an unknown lag never delays a write.
 */
@FunctionalInterface
interface PartitionLag {

    PartitionLag UNKNOWN = partition -> 0;

    long records(int partition);
}
