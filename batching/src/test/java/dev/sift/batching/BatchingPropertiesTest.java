package dev.sift.batching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class BatchingPropertiesTest {

    private static BatchingProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("sift.batching",
                BatchingProperties.class);
    }

    @Test
    void defaultsAreHundredItemsOrTwoHours() {
        BatchSettings settings = bind(Map.of()).forPipeline("feedback");

        assertThat(settings).isEqualTo(new BatchSettings(100, Duration.ofHours(2), Duration.ofSeconds(10)));
    }

    @Test
    void aPipelineOverridesOnlyWhatItSets() {
        BatchingProperties properties = bind(Map.of("sift.batching.max-wait", "PT30M",
                "sift.batching.pipelines.bills.max-items", "20"));

        assertThat(properties.forPipeline("bills")).isEqualTo(new BatchSettings(20, Duration.ofMinutes(30),
                Duration.ofSeconds(10)));
        assertThat(properties.forPipeline("feedback").maxItems()).isEqualTo(100);
        assertThat(properties.forPipeline("feedback").maxWait()).isEqualTo(Duration.ofMinutes(30));
    }
}
