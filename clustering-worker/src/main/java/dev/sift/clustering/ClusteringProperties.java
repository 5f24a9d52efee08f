package dev.sift.clustering;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code sift.clustering.*}: how feedback is clustered, retried and batched by this worker.
 *
 * @param thresholds cosine similarity to join a cluster, per embedding model ({@code thresholds[voyage-3.5]=0.6})
 * @param defaultThreshold for models without their own; 0.50 is the best NMI/ARI measured for all-MiniLM-L6-v2
 *     on CLINC150 (see README)
 * @param mergeMargin clusters whose centroids are this much more similar than the join threshold are merged
 * @param samplesPerCluster feedback ids in each {@code sift.cluster.labeled.v1} event
 * @param labelMaxLength characters of an extractive label
 * @param retry non-blocking retry of failed batches through delayed retry topics
 * @param streams the batcher's Kafka Streams instance
 */
@Validated
@ConfigurationProperties("sift.clustering")
public record ClusteringProperties(@DefaultValue Map<String, Double> thresholds,
        @DefaultValue("0.50") @DecimalMin("0") @DecimalMax("1") double defaultThreshold,
        @DefaultValue("0.20") @DecimalMin("0") double mergeMargin, @DefaultValue("5") @Min(1) int samplesPerCluster,
        @DefaultValue("80") @Min(10) int labelMaxLength, @DefaultValue @Valid Retry retry,
        @DefaultValue @Valid Streams streams) {

    /** The join threshold for an embedding model. */
    public double threshold(String model) {
        return thresholds.getOrDefault(model, defaultThreshold);
    }

    /**
     * @param delays one retry topic per delay, then the DLT; defaults 1 min, 10 min, 1 h
     * @param groupId consumer group of the batch listener and its retry topics
     */
    public record Retry(@DefaultValue({"PT1M", "PT10M", "PT1H"}) @NotEmpty List<Duration> delays,
            @DefaultValue("sift-clustering") String groupId) {
    }

    /**
     * @param applicationId Kafka Streams application id (prefix of its internal topics and consumer group)
     * @param stateDir where RocksDB keeps the pending batches (default {@code <tmpdir>/sift-clustering-streams});
     *     on a container, a persistent volume avoids restoring from the changelog at every start
     * @param commitInterval under exactly-once a closed batch becomes visible at the next commit
     */
    public record Streams(@DefaultValue("sift-clustering-batcher") String applicationId,
            @DefaultValue("") String stateDir,
            @DefaultValue("PT1S") Duration commitInterval) {

        public String stateDirOrDefault() {
            return stateDir.isBlank() ? System.getProperty("java.io.tmpdir") + "/sift-clustering-streams" : stateDir;
        }
    }
}
