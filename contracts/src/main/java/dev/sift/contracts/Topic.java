package dev.sift.contracts;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A typed topic descriptor: name, key serde and value serde together, so a producer and a consumer
 * of the same topic cannot disagree about its wire format.
 *
 * @param name the topic name, {@code sift.<entity>.<event>.v<major>}
 * @param valueType the event record
 * @param keySerde keys are UTF-8 strings (organisation, bill or instructor ids)
 * @param valueSerde UTF-8 JSON with CloudEvents binary-mode headers
 */
public record Topic<V extends SiftEvent>(String name, Class<V> valueType, Serde<String> keySerde,
        EventSerde<V> valueSerde) {

    static <V extends SiftEvent> Topic<V> of(String name, Class<V> valueType) {
        return new Topic<>(name, valueType, Serdes.String(), new EventSerde<>(valueType, cloudEventType(name)));
    }

    /** The CloudEvents {@code ce_type}: {@code sift.feedback.submitted.v1} → {@code dev.sift.feedback.submitted.v1}. */
    public String cloudEventType() {
        return valueSerde.cloudEventType();
    }

    /** The spring-kafka dead-letter topic for this topic. */
    public String deadLetterTopic() {
        return name + "-dlt";
    }

    private static String cloudEventType(String topicName) {
        return "dev." + topicName;
    }
}
