package dev.sift.testing;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real Kafka broker per test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>{@code SIFT_TEST_KAFKA} chooses it: {@code embedded} (spring-kafka-test's KRaft broker, the
 * default where no Docker engine runs), {@code testcontainers} (the official {@code apache/kafka}
 * image), or {@code auto} (Testcontainers when a Docker engine answers, else embedded). Sharing one
 * broker across test classes keeps a module's ITs to one broker start; tests isolate themselves by
 * topic names or consumer groups, not by brokers.
 */
public final class KafkaTestBroker {

    private static final String KAFKA_IMAGE = "apache/kafka:4.1.1";
    private static @Nullable String bootstrapServers;

    private KafkaTestBroker() {
    }

    /** The bootstrap servers of the shared broker, starting it if needed. */
    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = useTestcontainers() ? startContainer() : startEmbedded();
        }
        return bootstrapServers;
    }

    private static boolean useTestcontainers() {
        String mode = System.getenv().getOrDefault("SIFT_TEST_KAFKA", "auto").toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "embedded" -> false;
            case "testcontainers" -> true;
            default -> dockerAvailable();
        };
    }

    private static boolean dockerAvailable() {
        // Ask Docker only where a socket or DOCKER_HOST suggests one: the probe is slow when there is none.
        boolean hint = System.getenv("DOCKER_HOST") != null || new java.io.File("/var/run/docker.sock").exists();
        try {
            return hint && DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String startEmbedded() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.brokerProperties(Map.of(
                // Transactions (Kafka Streams exactly_once_v2) need these at 1 on a single broker.
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        broker.afterPropertiesSet();
        AfterSpringContexts.run("sift-test-kafka-stop", broker::destroy);
        return broker.getBrokersAsString();
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' Ryuk when the JVM exits
    private static String startContainer() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE));
        container.start();
        return container.getBootstrapServers();
    }
}
