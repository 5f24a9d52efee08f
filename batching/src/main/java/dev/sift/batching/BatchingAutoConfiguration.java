package dev.sift.batching;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Binds {@code sift.batching.*}; harmless in services that build no batching topology. */
@AutoConfiguration
@EnableConfigurationProperties(BatchingProperties.class)
public class BatchingAutoConfiguration {
}
