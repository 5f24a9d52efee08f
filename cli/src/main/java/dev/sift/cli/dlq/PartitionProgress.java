package dev.sift.cli.dlq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.jspecify.annotations.Nullable;

/**
 * What {@code replay} and {@code skip} have done in one partition of a dead-letter topic, as stored
 * in the {@code sift-dlq-replay} group's committed offset for that partition.
 *
 * <p>The committed offset is the watermark: every record below it was replayed, parked or skipped.
 * Records a filter passed over stay pending, so the watermark cannot move past them; the records
 * handled beyond such a gap are kept as offset ranges in the commit's metadata string. Both travel
 * in one offset commit, inside the same transaction as the republished records. The metadata is
 * bounded (the broker's {@code offset.metadata.max.bytes}, 4096 by default), so at most
 * {@value #MAX_RANGES} separate ranges are kept; a run that would need more stops in that partition
 * and says so.
 */
final class PartitionProgress {

    static final int MAX_RANGES = 250;
    private static final String FORMAT = "sift1:";

    private long watermark;
    /** Handled ranges above the watermark: start → end, both inclusive, never touching the watermark. */
    private final TreeMap<Long, Long> handled = new TreeMap<>();
    private boolean changed;
    private final boolean committed;

    private PartitionProgress(long watermark, boolean committed) {
        this.watermark = watermark;
        this.committed = committed;
    }

    /** The progress a commit records, or the log start when there is none (or retention deleted past it). */
    static PartitionProgress from(@Nullable OffsetAndMetadata committed, long logStart) {
        if (committed == null) {
            return new PartitionProgress(logStart, false);
        }
        PartitionProgress progress = new PartitionProgress(committed.offset(), true);
        String metadata = committed.metadata();
        if (metadata != null && metadata.startsWith(FORMAT) && metadata.length() > FORMAT.length()) {
            for (String range : metadata.substring(FORMAT.length()).split(",")) {
                int dash = range.indexOf('-');
                long start = committed.offset() + Long.parseLong(dash < 0 ? range : range.substring(0, dash), 36);
                long end = dash < 0 ? start : committed.offset() + Long.parseLong(range.substring(dash + 1), 36);
                progress.handled.put(start, end);
            }
        }
        progress.moveWatermarkTo(Math.max(progress.watermark, logStart));
        progress.changed = false;
        return progress;
    }

    long watermark() {
        return watermark;
    }

    boolean isHandled(long offset) {
        if (offset < watermark) {
            return true;
        }
        Map.Entry<Long, Long> range = handled.floorEntry(offset);
        return range != null && range.getValue() >= offset;
    }

    /** Whether marking this offset would need a range more than the metadata can hold. */
    boolean canMark(long offset) {
        if (isHandled(offset) || offset == watermark || handled.size() < MAX_RANGES) {
            return true;
        }
        Map.Entry<Long, Long> below = handled.floorEntry(offset);
        Map.Entry<Long, Long> above = handled.ceilingEntry(offset);
        return (below != null && below.getValue() == offset - 1) || (above != null && above.getKey() == offset + 1);
    }

    /** Records the offset as handled; call {@link #canMark} first. */
    void mark(long offset) {
        if (isHandled(offset)) {
            return;
        }
        if (!canMark(offset)) {
            throw new IllegalStateException("too many ranges to mark " + offset);
        }
        changed = true;
        if (offset == watermark) {
            moveWatermarkTo(offset + 1);
            return;
        }
        long start = offset;
        long end = offset;
        Map.Entry<Long, Long> below = handled.floorEntry(offset);
        if (below != null && below.getValue() == offset - 1) {
            start = below.getKey();
        }
        Map.Entry<Long, Long> above = handled.ceilingEntry(offset);
        if (above != null && above.getKey() == offset + 1) {
            end = above.getValue();
            handled.remove(above.getKey());
        }
        handled.put(start, end);
    }

    /** Handled records at or above the watermark and below {@code end}. */
    long handledAboveWatermark(long end) {
        long count = 0;
        for (Map.Entry<Long, Long> range : handled.entrySet()) {
            if (range.getKey() < end) {
                count += Math.min(range.getValue(), end - 1) - range.getKey() + 1;
            }
        }
        return count;
    }

    /** Records in [watermark, end) neither replayed, parked nor skipped. */
    long pending(long end) {
        return Math.max(0, end - watermark - handledAboveWatermark(end));
    }

    boolean changed() {
        return changed;
    }

    /** Whether the group had a commit for this partition when the progress was read. */
    boolean wasCommitted() {
        return committed;
    }

    /** Commit this progress with the next transaction even if nothing changes. */
    void touch() {
        changed = true;
    }

    /** The offset commit for this progress; clears {@link #changed()}. */
    OffsetAndMetadata toCommit() {
        changed = false;
        if (handled.isEmpty()) {
            return new OffsetAndMetadata(watermark);
        }
        List<String> ranges = new ArrayList<>(handled.size());
        handled.forEach((start, end) -> ranges.add(start.equals(end)
                ? Long.toString(start - watermark, 36)
                : Long.toString(start - watermark, 36) + "-" + Long.toString(end - watermark, 36)));
        return new OffsetAndMetadata(watermark, FORMAT + String.join(",", ranges));
    }

    private void moveWatermarkTo(long offset) {
        watermark = offset;
        while (!handled.isEmpty() && handled.firstKey() <= watermark) {
            Map.Entry<Long, Long> first = handled.pollFirstEntry();
            watermark = Math.max(watermark, first.getValue() + 1);
        }
    }
}
