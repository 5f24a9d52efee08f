package dev.sift.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against the code: one container per deployable service, built from the shared
 * Dockerfile, healthy only when its own readiness group says so, configured only through variables the
 * services read, and never carrying a secret in the file.
 */
class ComposeFileTest {

    private static Repository repository;
    private static Map<String, Integer> servicePorts;
    private static Map<String, Object> compose;
    private static Map<String, Object> services;

    @BeforeAll
    static void load() {
        repository = Repository.locate();
        servicePorts = repository.servicePorts();
        compose = Repository.yaml(Repository.read(repository.resolve("docker-compose.yml")));
        services = Nodes.map(compose, "services");
    }

    @Test
    void findsTheFiveDeployableServicesInTheCode() {
        assertThat(servicePorts).containsExactlyInAnyOrderEntriesOf(Map.of("gateway", 8080, "feedback-service", 8081,
                "report-service", 8082, "clustering-worker", 8083, "bill-summary-worker", 8084));
    }

    @Test
    void buildsEveryServiceFromTheSharedDockerfileWithItsModule() {
        assertThat(services).containsKeys(servicePorts.keySet().toArray(String[]::new));
        servicePorts.keySet().forEach(service -> {
            assertThat(Nodes.string(services, service, "build", "context")).as(service).isEqualTo(".");
            assertThat(Nodes.string(services, service, "build", "args", "MODULE")).as(service).isEqualTo(service);
            assertThat(Nodes.string(services, service, "image")).as(service).startsWith("sift/" + service + ":");
        });
        assertThat(Repository.read(repository.resolve("Dockerfile")))
                .contains("ARG MODULE", "${MODULE}/target/${MODULE}-${VERSION}-exec.jar", "USER 10001");
    }

    @Test
    void checksEachServiceOnItsOwnPortsReadinessGroup() {
        servicePorts.forEach((service, port) -> {
            List<Object> test = Nodes.list(services, service, "healthcheck", "test");
            assertThat(String.join(" ", test.stream().map(String::valueOf).toList())).as(service)
                    .contains("http://localhost:" + port + "/actuator/health/readiness");
        });
    }

    @Test
    void startsServicesOnlyAfterTheirDependenciesAreHealthy() {
        services.forEach((name, definition) -> Nodes.map(definition, "depends_on").forEach((dependency, how) -> {
            assertThat(Nodes.string(how, "condition")).as(name + " -> " + dependency).isEqualTo("service_healthy");
            assertThat(Nodes.map(services, dependency, "healthcheck")).as(dependency + " healthcheck").isNotEmpty();
        }));
        assertThat(Nodes.map(services, "gateway", "depends_on")).containsKeys("feedback-service", "report-service",
                "redis");
    }

    @Test
    void givesServicesThatOwnASchemaTheDatabaseAndWaitsForIt() {
        assertThat(servicePorts.keySet()).anyMatch(repository::usesDatabase);
        servicePorts.keySet().stream().filter(repository::usesDatabase).forEach(service -> {
            assertThat(Nodes.map(services, service, "environment")).as(service)
                    .containsKeys("SIFT_DB_URL", "SIFT_DB_USER", "SIFT_DB_PASSWORD");
            assertThat(Nodes.string(services, service, "environment", "SIFT_DB_URL")).as(service)
                    .startsWith("postgresql://postgres:5432/");
            assertThat(Nodes.map(services, service, "depends_on")).as(service).containsKey("postgres");
        });
    }

    @Test
    void publishesOnlyTheGatewayOnItsPort() {
        servicePorts.keySet().stream().filter(service -> !service.equals("gateway"))
                .forEach(service -> assertThat(Nodes.list(services, service, "ports")).as(service).isEmpty());
        assertThat(Nodes.list(services, "gateway", "ports")).singleElement().asString().endsWith(":8080");
        servicePorts.forEach((service, port) -> {
            if (!service.equals("gateway")) {
                assertThat(Nodes.list(services, service, "expose")).as(service).contains(String.valueOf(port));
            }
        });
    }

    @Test
    void setsOnlyEnvironmentVariablesTheServicesRead() {
        ConfigurationCatalog catalog = ConfigurationCatalog.scan(repository, "deploy-check");
        TreeSet<String> unknown = new TreeSet<>();
        servicePorts.keySet().forEach(service -> Nodes.map(services, service, "environment").keySet().stream()
                .filter(variable -> !catalog.reads(variable)).forEach(variable -> unknown.add(service + ": " + variable)));
        assertThat(unknown).as("variables no service reads").isEmpty();
    }

    @Test
    void keepsSecretsOutOfTheFile() {
        services.forEach((service, definition) -> Nodes.map(definition, "environment").forEach((name, value) -> {
            if (name.matches(".*(PASSWORD|API_KEY|SECRET|PRIVATE_KEY)$")) {
                assertThat(value == null || String.valueOf(value).startsWith("${")).as(service + " " + name)
                        .isTrue();
            }
        }));
        assertThat(Nodes.map(compose, "secrets").values())
                .allSatisfy(secret -> assertThat(Nodes.string(secret, "file")).contains(".secrets"));
        assertThat(Repository.read(repository.resolve(".gitignore"))).contains(".secrets/", ".env");
    }

    @Test
    void runsTheSingleKafkaNodeWithATransactionLogExactlyOnceCanUse() {
        Map<String, Object> kafka = Nodes.map(services, "kafka", "environment");
        assertThat(kafka).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
        assertThat(Nodes.string(services, "kafka", "image")).startsWith("apache/kafka:");
        servicePorts.keySet().forEach(service -> assertThat(Nodes.string(services, service, "environment",
                "SIFT_KAFKA_BOOTSTRAP")).as(service).isEqualTo("kafka:29092"));
    }

    /**
     * The file as docker-compose itself reads it. Skipped, with a message, only where the docker-compose binary
     * is not installed (Debian: apt-get install docker-compose); CI installs it.
     */
    @Test
    void validatesWithDockerComposeConfig() {
        Optional<Path> dockerCompose = Tools.find("docker-compose");
        assumeThat(dockerCompose).as("docker-compose is not installed (apt-get install docker-compose): "
                + "skipping `docker-compose config -q`; the structural checks above still ran").isPresent();
        Tools.Result result = Tools.run(repository.root(), Map.of("SIFT_DB_PASSWORD", "checked-by-deploy-check"),
                List.of(dockerCompose.get().toString(), "-f", "docker-compose.yml", "config", "-q"));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }
}
