package dev.sift.cli.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The connection options every Kafka-facing subcommand shares, spelled as Kafka's own CLI tools
 * spell them: {@code --bootstrap-server} and {@code --command-config} (client properties for
 * TLS/SASL).
 */
public final class KafkaOptions {

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            defaultValue = "${env:SIFT_KAFKA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $SIFT_KAFKA_BOOTSTRAP or localhost:9092).")
    @SuppressWarnings("NullAway.Init")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Client properties (security.protocol, ssl.*, sasl.*) applied to every client.")
    @Nullable Path commandConfig;

    public String bootstrapServer() {
        return bootstrapServer;
    }

    /** The common client settings; the caller adds what its client needs. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        if (commandConfig != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(commandConfig)) {
                properties.load(reader);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("--command-config: no such file " + commandConfig);
            } catch (IOException e) {
                throw new IllegalArgumentException("--command-config: cannot read " + commandConfig + ": " + e.getMessage());
            }
            properties.forEach((k, v) -> config.put(k.toString(), v));
        }
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        // Fail in seconds, not minutes, when the broker is not there: an operator is waiting.
        config.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 8_000);
        config.putIfAbsent(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 5_000);
        config.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "sift-cli");
        return config;
    }
}
