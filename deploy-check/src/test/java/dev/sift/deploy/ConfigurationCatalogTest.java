package dev.sift.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The catalog that decides whether a manifest's variable is read: it must accept real names and refuse typos. */
class ConfigurationCatalogTest {

    private static ConfigurationCatalog catalog;

    @BeforeAll
    static void scan() {
        catalog = ConfigurationCatalog.scan(Repository.locate(), "deploy-check");
    }

    @Test
    void acceptsBothRelaxedSpellingsOfAConfigurationPropertiesRecordComponent() {
        // SiftKafkaProperties(int partitions, short replicationFactor, boolean declareTopics) in kafka-support.
        assertThat(catalog.reads("SIFT_KAFKA_REPLICATION_FACTOR")).isTrue();
        assertThat(catalog.reads("SIFT_KAFKA_REPLICATIONFACTOR")).isTrue();
        assertThat(catalog.reads("SIFT_KAFKA_DECLARE_TOPICS")).isTrue();
    }

    @Test
    void acceptsPlaceholdersPropertiesFileKeysAndDocumentedSettings() {
        assertThat(catalog.reads("SIFT_DB_PASSWORD")).isTrue();
        assertThat(catalog.reads("SIFT_KAFKA_BOOTSTRAP")).isTrue();
        assertThat(catalog.reads("SIFT_GATEWAY_FEEDBACK_SERVICE_URI")).isTrue();
        assertThat(catalog.reads("SIFT_AI_EMBEDDING_API_KEY")).isTrue();
        assertThat(catalog.reads("SIFT_SECURITY_JWT_PUBLIC_KEY_LOCATIONS")).isTrue();
        assertThat(catalog.reads("SIFT_BATCHING_PIPELINES_FEEDBACK_MAX_ITEMS")).isTrue();
    }

    @Test
    void acceptsSpringBootPropertiesFromTheirConfigurationMetadata() {
        assertThat(catalog.reads("SPRING_DATA_REDIS_HOST")).isTrue();
        assertThat(catalog.reads("SPRING_KAFKA_STREAMS_STATE_DIR")).isTrue();
        assertThat(catalog.reads("SPRING_KAFKA_STREAMS_PROPERTIES_NUM_STANDBY_REPLICAS")).isTrue();
    }

    @Test
    void refusesMisspeltAndInventedVariables() {
        assertThat(catalog.reads("SIFT_DB_PASWORD")).isFalse();
        assertThat(catalog.reads("SIFT_KAFKA_BOOTSTRAP_SERVERS")).isFalse();
        assertThat(catalog.reads("SIFT_AI_EMBEDDING_APIKEYS")).isFalse();
        assertThat(catalog.reads("SPRING_DATA_REDIS_HOSTNAME")).isFalse();
        assertThat(catalog.reads("SERVER_PORTS")).isFalse();
    }

    @Test
    void readsRecordComponentsPastAnnotationsAndGenerics() {
        String source = """
                @ConfigurationProperties("sift.example")
                record ExampleProperties(@DefaultValue("6") @Min(1) int partitions,
                        @DefaultValue({"a", "b(c)"}) List<String> names, Map<String, Nested> byName,
                        @Nullable String baseUrl) {
                }
                """;
        int start = source.indexOf('(', source.indexOf("record")) + 1;
        assertThat(ConfigurationCatalog.components(source, start)).containsExactly(
                new ConfigurationCatalog.Component("int", "partitions"),
                new ConfigurationCatalog.Component("List", "names"),
                new ConfigurationCatalog.Component("Map", "byName"),
                new ConfigurationCatalog.Component("String", "baseUrl"));
        assertThat(ConfigurationCatalog.kebab("baseUrl")).isEqualTo("base-url");
    }
}
