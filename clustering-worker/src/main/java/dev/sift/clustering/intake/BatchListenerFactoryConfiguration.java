package dev.sift.clustering.intake;

import dev.sift.clustering.clusters.PrefetchingEmbeddings;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/**
 * The container factory of the batch listener and its retry topics: Boot's settings plus the poll-level
 * embedding prefetch and a larger poll, so that batches closed together arrive (and are embedded) together.
 */
@Configuration(proxyBeanMethods = false)
class BatchListenerFactoryConfiguration {

    static final String FACTORY = "clusteringBatchListenerFactory";

    @Bean(FACTORY)
    ConcurrentKafkaListenerContainerFactory<Object, Object> clusteringBatchListenerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, KafkaProperties kafka,
            PrefetchingEmbeddings embeddings) {
        Map<String, Object> consumer = kafka.buildConsumerProperties();
        consumer.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, PollEmbeddingPrefetcher.class.getName());
        consumer.put(PollEmbeddingPrefetcher.EMBEDDINGS_CONFIG, embeddings);
        // Up to the largest provider request (OpenAI: 2,048 inputs) worth of small batches in one poll.
        consumer.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure(factory, new DefaultKafkaConsumerFactory<>(consumer));
        return factory;
    }
}
