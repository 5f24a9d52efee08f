package dev.sift.cli.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    @Test
    void startsAtTheLogStartWithoutACommit() {
        PartitionProgress progress = PartitionProgress.from(null, 5);
        assertThat(progress.watermark()).isEqualTo(5);
        assertThat(progress.isHandled(4)).isTrue();
        assertThat(progress.isHandled(5)).isFalse();
        assertThat(progress.pending(12)).isEqualTo(7);
    }

    @Test
    void watermarkFollowsContiguousRecordsAndCommitsWithoutMetadata() {
        PartitionProgress progress = PartitionProgress.from(null, 0);
        progress.mark(0);
        progress.mark(1);
        OffsetAndMetadata commit = progress.toCommit();
        assertThat(commit.offset()).isEqualTo(2);
        assertThat(commit.metadata()).isEmpty();
    }

    @Test
    void recordsHandledBeyondAGapSurviveTheCommitAndCloseItLater() {
        PartitionProgress progress = PartitionProgress.from(null, 0);
        progress.mark(0);
        progress.mark(2);
        progress.mark(3);
        progress.mark(7);
        OffsetAndMetadata commit = progress.toCommit();
        assertThat(commit.offset()).isEqualTo(1);

        PartitionProgress resumed = PartitionProgress.from(commit, 0);
        assertThat(resumed.isHandled(1)).isFalse();
        assertThat(resumed.isHandled(2)).isTrue();
        assertThat(resumed.isHandled(3)).isTrue();
        assertThat(resumed.isHandled(4)).isFalse();
        assertThat(resumed.isHandled(7)).isTrue();
        assertThat(resumed.pending(10)).isEqualTo(10 - 1 - 3);

        resumed.mark(1);
        assertThat(resumed.watermark()).isEqualTo(4);
        resumed.mark(5);
        resumed.mark(4);
        resumed.mark(6);
        assertThat(resumed.watermark()).isEqualTo(8);
        assertThat(resumed.toCommit().metadata()).isEmpty();
    }

    @Test
    void retentionPastTheCommitMovesTheWatermarkToTheLogStart() {
        PartitionProgress progress = PartitionProgress.from(new OffsetAndMetadata(3, "sift1:2,5-6"), 6);
        // 3+5=8 and 3+6=9 stay handled; 3+2=5 was deleted along with everything below 6.
        assertThat(progress.watermark()).isEqualTo(6);
        assertThat(progress.isHandled(7)).isFalse();
        assertThat(progress.isHandled(8)).isTrue();
        assertThat(progress.isHandled(9)).isTrue();
    }

    @Test
    void refusesMoreSeparateRangesThanTheCommitMetadataHolds() {
        PartitionProgress progress = PartitionProgress.from(null, 0);
        for (int i = 0; i < PartitionProgress.MAX_RANGES; i++) {
            progress.mark(2L * i + 1);
        }
        long next = 2L * PartitionProgress.MAX_RANGES + 1;
        assertThat(progress.canMark(next)).isFalse();
        // Extending an existing range or closing a gap needs no new range.
        assertThat(progress.canMark(next - 1)).isTrue();
        assertThat(progress.canMark(0)).isTrue();
        assertThatThrownBy(() -> progress.mark(next)).isInstanceOf(IllegalStateException.class);
        assertThat(progress.toCommit().metadata().length()).isLessThan(4096);
    }
}
