package dev.sift.kafka;

import dev.sift.contracts.SiftEvent;
import dev.sift.contracts.Topic;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes typed events through the one {@link KafkaTemplate} of a service. The template is
 * observed, so the W3C {@code traceparent} of the current span travels in the record headers next
 * to the CloudEvents ones.
 *
 * <p>Reactive callers get a {@link Mono} that completes only when the broker acknowledged the
 * write ({@code acks=all}): the answer to a client may depend on it. reactor-kafka is not used: it is
 * discontinued and does not work with Kafka 4 clients.
 */
public final class EventPublisher {

    private final KafkaTemplate<String, byte[]> template;
    private final String source;
    /** One serializer per topic, stamped with this service's {@code ce_source}; built once, not per event. */
    private final Map<Topic<?>, Serializer<?>> serializers = new ConcurrentHashMap<>();

    public EventPublisher(KafkaTemplate<String, byte[]> template, String source) {
        this.template = template;
        this.source = source;
    }

    /**
     * Sends one event; the Mono completes after the broker's acknowledgement or fails with its error.
     *
     * <p>It completes on a {@link Schedulers#parallel() parallel} thread, never on the producer's network thread
     * that completes the send's future: whatever the caller does next — a second publish included — must not run
     * there, because a send to a topic whose metadata is not cached yet blocks until that very thread fetches it
     * (a hang of {@code max.block.ms}, found in report-service's ITs).
     *
     * <p>Subscribed on a non-blocking thread (an HTTP or R2DBC event loop), the send itself is made on the bounded
     * elastic scheduler: {@code KafkaProducer.send} is not asynchronous all the way, it waits for the topic's
     * metadata when it has none (its first send, or the topic unused for {@code metadata.max.idle.ms}) and for buffer
     * space when the broker falls behind, up to {@code max.block.ms}, and on an event loop that wait would stall every
     * connection of the loop (feedback-service's {@code FeedbackBlockHoundIT} caught it). Listener threads, where
     * blocking is allowed, send in place.
     */
    public <V extends SiftEvent> Mono<SendResult<String, byte[]>> publish(Topic<V> topic, String key, V event) {
        Mono<SendResult<String, byte[]>> send = Mono.defer(() -> Mono.fromFuture(template.send(record(topic, key, event))));
        return Mono.defer(() -> Schedulers.isInNonBlockingThread() ? send.subscribeOn(Schedulers.boundedElastic()) : send)
                .publishOn(Schedulers.parallel());
    }

    /** The record {@link #publish} would send: key, JSON value and CloudEvents headers. */
    public <V extends SiftEvent> ProducerRecord<String, byte[]> record(Topic<V> topic, String key, V event) {
        RecordHeaders headers = new RecordHeaders();
        byte[] value = serializer(topic).serialize(topic.name(), headers, event);
        return new ProducerRecord<>(topic.name(), null, key, value, headers);
    }

    @SuppressWarnings("unchecked") // the map is keyed by topic, and each value is that topic's serializer
    private <V extends SiftEvent> Serializer<V> serializer(Topic<V> topic) {
        return (Serializer<V>) serializers.computeIfAbsent(topic,
                key -> topic.valueSerde().withSource(source).serializer());
    }
}
