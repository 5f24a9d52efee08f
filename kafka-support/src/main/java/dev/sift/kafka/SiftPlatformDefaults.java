package dev.sift.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The settings every Sift service shares, added as the lowest-precedence property source so each
 * service's own file, the command line and the environment still override them. Keeping them here
 * rather than in five copies of {@code application.yml} is what lets them stay the same.
 */
public class SiftPlatformDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "siftPlatformDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        // Connection settings operators set as SIFT_* variables (docs/contracts.md, Configuration).
        defaults.put("spring.kafka.bootstrap-servers", "${SIFT_KAFKA_BOOTSTRAP:localhost:9092}");
        // A 202 means the event is durably in Kafka: wait for all in-sync replicas, no duplicates on retry.
        defaults.put("spring.kafka.producer.acks", "all");
        defaults.put("spring.kafka.producer.properties.enable.idempotence", "true");
        defaults.put("spring.kafka.producer.key-serializer", "org.apache.kafka.common.serialization.StringSerializer");
        defaults.put("spring.kafka.producer.value-serializer",
                "org.apache.kafka.common.serialization.ByteArraySerializer");
        defaults.put("spring.kafka.consumer.key-deserializer",
                "org.apache.kafka.common.serialization.StringDeserializer");
        defaults.put("spring.kafka.consumer.value-deserializer",
                "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        defaults.put("spring.kafka.consumer.auto-offset-reset", "earliest");
        defaults.put("spring.kafka.consumer.isolation-level", "read_committed");
        // Observation on template and listeners makes the W3C traceparent travel in record headers.
        defaults.put("spring.kafka.template.observation-enabled", "true");
        defaults.put("spring.kafka.listener.observation-enabled", "true");
        // Sampling stays at Spring Boot's default (0.1). No span exporter is configured, so a sampled span is
        // recorded and dropped; unsampled requests still carry and propagate their trace ids (traceparent flag 00,
        // ids in the logs). Set management.tracing.sampling.probability with an exporter. Was 1.0: ~5 % of the
        // gateway's CPU per proxied request (GatewayBenchmark, docs/performance.md).
        defaults.put("management.tracing.propagation.type", "w3c");
        // Operations baseline: health groups for orchestrators, Prometheus for metrics.
        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
        defaults.put("management.endpoint.health.probes.enabled", "true");
        defaults.put("management.endpoint.health.probes.add-additional-paths", "true");
        defaults.put("management.endpoint.health.show-details", "always");
        defaults.put("management.endpoint.health.group.readiness.include", "readinessState");
        defaults.put("management.endpoint.health.group.liveness.include", "livenessState");
        defaults.put("management.prometheus.metrics.export.enabled", "true");
        defaults.put("management.metrics.tags.application", "${spring.application.name}");
        // Every observation (each HTTP request, proxied call, Kafka send and receive) would also start and stop
        // a long task timer (the ".active" meters) in a concurrent skip list: ~1 % of the gateway's CPU per
        // request (JFR, docs/performance.md) for a gauge of requests in flight. Timers and traces stay.
        defaults.put("management.metrics.observations.ignored-meters", "long-task-timer");
        // Structured JSON logs (ECS) carry trace and span ids from the MDC; set
        // logging.structured.format.console= (empty) for plain text on a terminal.
        defaults.put("logging.structured.format.console", "ecs");
        // Kafka clients log every configuration at INFO on each start: keep their warnings only.
        defaults.put("logging.level.org.apache.kafka", "WARN");
        defaults.put("logging.level.kafka", "WARN");
        defaults.put("spring.webflux.problemdetails.enabled", "true");
        defaults.put("spring.threads.virtual.enabled", "true");
        defaults.put("server.shutdown", "graceful");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }
}
