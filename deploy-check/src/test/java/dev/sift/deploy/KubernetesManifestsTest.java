package dev.sift.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.sift.contracts.Topic;
import dev.sift.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s against the code: a KafkaTopic for every contract topic and for the retry and dead-letter topics
 * the listeners use, a Deployment per service on the port its properties set, probes on the actuator health
 * groups, variables the services read, and only the gateway reachable from outside.
 */
class KubernetesManifestsTest {

    /** spring-kafka 4.0 {@code @RetryableTopic} names with the default suffixing (-retry-&lt;delay ms&gt;, -dlt). */
    static final List<Long> RETRY_DELAYS_MS = List.of(60_000L, 600_000L, 3_600_000L);

    /** Sources consumed with non-blocking retries: each has its retry topics and a dead-letter topic. */
    static final List<Topic<?>> RETRIED = List.of(Topics.FEEDBACK_BATCHED, Topics.BILL_BATCHED);

    /**
     * report-service's report generation retries sooner (10 s, 1 min, 5 min: an instructor is waiting for the
     * report), so its retry topics have other names.
     */
    static final Map<Topic<?>, List<Long>> RETRIED_WITH_OWN_DELAYS = Map.of(
            Topics.REPORT_REQUESTED, List.of(10_000L, 60_000L, 300_000L));

    /** Sources with a dead-letter topic only: the batchers' and the read models' records that do not parse. */
    static final List<Topic<?>> DEAD_LETTERED = List.of(Topics.FEEDBACK_SUBMITTED, Topics.BILL_RECEIVED,
            Topics.BILL_SUMMARIZED, Topics.LECTURE_QUESTION, Topics.LECTURE_REVIEW);

    private static final String LIVENESS = "/actuator/health/liveness";
    private static final String READINESS = "/actuator/health/readiness";

    private static Repository repository;
    private static Map<String, Integer> servicePorts;
    private static List<Map<String, Object>> base;

    @BeforeAll
    static void load() {
        repository = Repository.locate();
        servicePorts = repository.servicePorts();
        base = loadBase();
    }

    static List<Map<String, Object>> loadBase() {
        Path dir = Repository.locate().resolve("deploy/k8s/base");
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object resource : Nodes.list(Repository.yaml(Repository.read(dir.resolve("kustomization.yaml"))),
                "resources")) {
            documents.addAll(Repository.yamlDocuments(Repository.read(dir.resolve(String.valueOf(resource)))));
        }
        return documents;
    }

    @Test
    void listsEveryBaseManifestInTheKustomization() throws IOException {
        Path dir = repository.resolve("deploy/k8s/base");
        Set<String> listed = new HashSet<>();
        Nodes.list(Repository.yaml(Repository.read(dir.resolve("kustomization.yaml"))), "resources")
                .forEach(resource -> listed.add(String.valueOf(resource)));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")))
                    .allSatisfy(name -> assertThat(listed).contains(name));
        }
    }

    @Test
    void declaresEveryContractTopicAndTheRetryAndDeadLetterTopics() {
        Map<String, Map<String, Object>> topics = kafkaTopics(base);
        assertThat(topics.keySet()).containsAll(Topics.ALL.stream().map(Topic::name).toList())
                .containsAll(expectedRetryAndDeadLetterTopics());
        Set<String> allowed = new HashSet<>(expectedRetryAndDeadLetterTopics());
        Topics.ALL.forEach(topic -> allowed.add(topic.name()));
        assertThat(allowed).as("KafkaTopics that are neither contract topics nor their retry/DLT topics")
                .containsAll(topics.keySet());
    }

    @Test
    void givesRetryAndDeadLetterTopicsTheirSourcesPartitionCount() {
        Map<String, Map<String, Object>> topics = kafkaTopics(base);
        for (String derived : expectedRetryAndDeadLetterTopics()) {
            String source = derived.replaceFirst("-(retry-\\d+|dlt)$", "");
            assertThat(Nodes.at(topics.get(derived), "spec", "partitions")).as(derived)
                    .isEqualTo(Nodes.at(topics.get(source), "spec", "partitions"));
        }
        topics.forEach((name, topic) -> {
            assertThat(Nodes.string(topic, "spec", "config", "retention.ms")).as(name + " retention").isNotBlank();
            assertThat(Nodes.string(topic, "metadata", "labels", "strimzi.io/cluster")).as(name)
                    .isEqualTo(Nodes.string(single(base, "Kafka"), "metadata", "name"));
        });
    }

    @Test
    void runsEachServiceFromItsImageOnThePortItsPropertiesSet() {
        Map<String, Map<String, Object>> deployments = byName(base, "Deployment");
        Map<String, Map<String, Object>> k8sServices = byName(base, "Service");
        servicePorts.forEach((service, port) -> {
            Map<String, Object> container = container(deployments.get(service));
            assertThat(Nodes.string(container, "image")).as(service).startsWith("sift/" + service + ":");
            assertThat(Nodes.list(container, "ports")).as(service).singleElement()
                    .satisfies(p -> assertThat(Nodes.at(p, "containerPort")).isEqualTo(port));
            assertThat(Nodes.list(k8sServices.get(service), "spec", "ports")).as(service).singleElement()
                    .satisfies(p -> assertThat(Nodes.at(p, "port")).isEqualTo(port));
            assertThat(Nodes.string(k8sServices.get(service), "spec", "type")).isEqualTo("ClusterIP");
        });
    }

    @Test
    void probesTheActuatorHealthGroupsOnTheServicePort() {
        Map<String, Map<String, Object>> deployments = byName(base, "Deployment");
        servicePorts.forEach((service, port) -> {
            Map<String, Object> container = container(deployments.get(service));
            String portName = Nodes.string(Nodes.list(container, "ports").getFirst(), "name");
            assertThat(Nodes.string(container, "livenessProbe", "httpGet", "path")).as(service).isEqualTo(LIVENESS);
            assertThat(Nodes.string(container, "startupProbe", "httpGet", "path")).as(service).isEqualTo(LIVENESS);
            assertThat(Nodes.string(container, "readinessProbe", "httpGet", "path")).as(service).isEqualTo(READINESS);
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(Nodes.string(container, probe, "httpGet", "port")).as(service + " " + probe)
                        .isIn(portName, String.valueOf(port));
            }
        });
    }

    @Test
    void runsPodsAsNonRootWithAReadOnlyRootAndAWritableTmp() {
        Map<String, Map<String, Object>> deployments = byName(base, "Deployment");
        servicePorts.keySet().forEach(service -> {
            Map<String, Object> pod = Nodes.map(deployments.get(service), "spec", "template", "spec");
            Map<String, Object> container = container(deployments.get(service));
            assertThat(Nodes.at(pod, "securityContext", "runAsNonRoot")).as(service).isEqualTo(true);
            assertThat(Nodes.at(container, "securityContext", "readOnlyRootFilesystem")).as(service).isEqualTo(true);
            assertThat(Nodes.at(container, "securityContext", "allowPrivilegeEscalation")).as(service).isEqualTo(false);
            String tmpVolume = Nodes.list(container, "volumeMounts").stream()
                    .filter(mount -> "/tmp".equals(Nodes.string(mount, "mountPath")))
                    .map(mount -> Nodes.string(mount, "name")).findFirst().orElse(null);
            assertThat(tmpVolume).as(service + " mounts /tmp").isNotNull();
            assertThat(Nodes.list(pod, "volumes")).as(service).anySatisfy(volume -> {
                assertThat(Nodes.string(volume, "name")).isEqualTo(tmpVolume);
                assertThat(Nodes.at(volume, "emptyDir")).isNotNull();
            });
            assertThat(Nodes.map(container, "resources", "requests")).as(service).containsKeys("cpu", "memory");
            assertThat(Nodes.map(container, "resources", "limits")).as(service).containsKey("memory");
        });
    }

    @Test
    void setsOnlyEnvironmentVariablesTheServicesRead() {
        ConfigurationCatalog catalog = ConfigurationCatalog.scan(repository, "deploy-check");
        Map<String, Map<String, Object>> configMaps = byName(base, "ConfigMap");
        Map<String, Map<String, Object>> deployments = byName(base, "Deployment");
        TreeSet<String> unknown = new TreeSet<>();
        servicePorts.keySet().forEach(service -> environmentNames(container(deployments.get(service)), configMaps)
                .stream().filter(variable -> !catalog.reads(variable))
                .forEach(variable -> unknown.add(service + ": " + variable)));
        assertThat(unknown).as("variables no service reads").isEmpty();
    }

    @Test
    void givesServicesThatOwnASchemaTheDatabaseUrlAndCredentials() {
        Map<String, Map<String, Object>> configMaps = byName(base, "ConfigMap");
        Map<String, Map<String, Object>> deployments = byName(base, "Deployment");
        servicePorts.keySet().stream().filter(repository::usesDatabase).forEach(service -> {
            assertThat(environmentNames(container(deployments.get(service)), configMaps)).as(service)
                    .contains("SIFT_DB_URL", "SIFT_DB_USER", "SIFT_DB_PASSWORD");
            assertThat(Nodes.string(deployments.get(service), "spec", "template", "metadata", "labels",
                    "sift.dev/postgres-client")).as(service + " admitted by the postgres-clients policy")
                    .isEqualTo("true");
        });
    }

    @Test
    void referencesSecretsWithoutCommittingAny() {
        assertThat(base).noneSatisfy(document -> assertThat(document.get("kind")).isEqualTo("Secret"));
        Set<String> referenced = new TreeSet<>();
        byName(base, "Deployment").values().forEach(deployment -> {
            Nodes.list(container(deployment), "env").forEach(variable -> Optional
                    .ofNullable(Nodes.string(variable, "valueFrom", "secretKeyRef", "name")).ifPresent(referenced::add));
            Nodes.list(deployment, "spec", "template", "spec", "volumes").forEach(volume -> Optional
                    .ofNullable(Nodes.string(volume, "secret", "secretName")).ifPresent(referenced::add));
        });
        assertThat(referenced).containsExactlyInAnyOrder("sift-jwt", "sift-ai-keys", "sift-db-app");
        byName(base, "ConfigMap").values().forEach(configMap -> assertThat(Nodes.map(configMap, "data").keySet())
                .noneMatch(key -> key.matches(".*(PASSWORD|API_KEY|SECRET|PRIVATE_KEY)$")));
    }

    @Test
    void protectsEveryServiceWithADisruptionBudget() {
        Map<String, Map<String, Object>> budgets = byName(base, "PodDisruptionBudget");
        servicePorts.keySet().forEach(service -> assertThat(
                Nodes.string(budgets.get(service), "spec", "selector", "matchLabels", "app.kubernetes.io/name"))
                .as(service).isEqualTo(service));
    }

    @Test
    void exposesOnlyTheGatewayOutsideTheCluster() {
        List<Map<String, Object>> ingresses = ofKind(base, "Ingress");
        assertThat(ingresses).isNotEmpty();
        ingresses.forEach(ingress -> Nodes.list(ingress, "spec", "rules").forEach(rule -> Nodes
                .list(rule, "http", "paths").forEach(path -> {
                    assertThat(Nodes.string(path, "backend", "service", "name")).isEqualTo("gateway");
                    assertThat(Nodes.string(path, "path")).doesNotStartWith("/actuator");
                })));
        assertThat(ofKind(base, "Service")).allSatisfy(
                service -> assertThat(Nodes.string(service, "spec", "type")).isIn(null, "ClusterIP"));
        assertThat(ofKind(base, "NetworkPolicy")).anySatisfy(policy -> {
            assertThat(Nodes.map(policy, "spec", "podSelector")).isEmpty();
            assertThat(Nodes.list(policy, "spec", "policyTypes")).containsExactly("Ingress");
            assertThat(Nodes.list(policy, "spec", "ingress")).isEmpty();
        });
        // Of the Sift pods, only the gateway admits traffic from another namespace (the ingress controller).
        ofKind(base, "NetworkPolicy").forEach(policy -> {
            String target = Nodes.string(policy, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name");
            boolean fromOtherNamespace = Nodes.list(policy, "spec", "ingress").stream()
                    .flatMap(rule -> Nodes.list(rule, "from").stream())
                    .anyMatch(peer -> Nodes.at(peer, "namespaceSelector") != null);
            boolean metricsOnly = "metrics-from-monitoring".equals(Nodes.string(policy, "metadata", "name"));
            if (fromOtherNamespace && !metricsOnly && servicePorts.containsKey(target)) {
                assertThat(target).isEqualTo("gateway");
            }
        });
    }

    @Test
    void scalesWorkersOnTheirInputTopicsWithinThePartitionCount() {
        Map<String, Map<String, Object>> topics = kafkaTopics(base);
        Map<String, Map<String, Object>> deployments = byName(base, "Deployment");
        List<Map<String, Object>> scaledObjects = ofKind(base, "ScaledObject");
        assertThat(scaledObjects).extracting(object -> Nodes.string(object, "spec", "scaleTargetRef", "name"))
                .containsExactlyInAnyOrder("clustering-worker", "bill-summary-worker");
        scaledObjects.forEach(object -> {
            String target = Nodes.string(object, "spec", "scaleTargetRef", "name");
            assertThat(Nodes.at(deployments.get(target), "spec", "replicas")).as(target + " replicas owned by KEDA")
                    .isNull();
            int maxReplicas = (Integer) Nodes.at(object, "spec", "maxReplicaCount");
            assertThat((Integer) Nodes.at(object, "spec", "minReplicaCount")).isGreaterThanOrEqualTo(1);
            Nodes.list(object, "spec", "triggers").forEach(trigger -> {
                assertThat(Nodes.string(trigger, "type")).isEqualTo("kafka");
                // Kafka 4 refuses the pre-2.1 request versions KEDA's client uses unless told a newer version.
                assertThat(Integer.parseInt(Nodes.string(trigger, "metadata", "version").split("\\.")[0]))
                        .as(target + " scaler protocol version").isGreaterThanOrEqualTo(3);
                String topic = Nodes.string(trigger, "metadata", "topic");
                assertThat(topics).as(target + " trigger topic").containsKey(topic);
                assertThat(maxReplicas).as(target + " max replicas vs partitions of " + topic)
                        .isLessThanOrEqualTo((Integer) Nodes.at(topics.get(topic), "spec", "partitions"));
                String bootstrapVariable = Nodes.string(trigger, "metadata", "bootstrapServersFromEnv");
                assertThat(environmentNames(container(deployments.get(target)), byName(base, "ConfigMap")))
                        .as(target + " has " + bootstrapVariable).contains(bootstrapVariable);
            });
        });
    }

    /**
     * The overlays as kubectl renders them. Skipped, with a message, only where kubectl (with its built-in
     * kustomize) is not installed.
     */
    @Test
    void rendersTheOverlaysIntoTheirNamespaces() {
        Optional<Path> kubectl = Tools.find("kubectl");
        assumeThat(kubectl).as("kubectl is not installed: skipping `kubectl kustomize` of the overlays; "
                + "the base checks above still ran").isPresent();
        for (String overlay : List.of("dev", "prod")) {
            Tools.Result result = Tools.run(repository.root(), Map.of(),
                    List.of(kubectl.get().toString(), "kustomize", "deploy/k8s/overlays/" + overlay));
            assertThat(result.exitCode()).as(overlay + ": " + result.output()).isZero();
            List<Map<String, Object>> rendered = Repository.yamlDocuments(result.output());
            String namespace = Nodes.string(single(rendered, "Namespace"), "metadata", "name");
            assertThat(rendered).as(overlay).allSatisfy(document -> {
                if (!"Namespace".equals(document.get("kind"))) {
                    assertThat(Nodes.string(document, "metadata", "namespace")).isEqualTo(namespace);
                }
            });
            assertThat(Nodes.string(byName(rendered, "ConfigMap").get("sift-kafka"), "data", "SIFT_KAFKA_BOOTSTRAP"))
                    .as(overlay + ": KEDA resolves the bootstrap address from its own namespace")
                    .isEqualTo("sift-kafka-kafka-bootstrap." + namespace + ".svc:9092");
            int brokers = (Integer) Nodes.at(single(rendered, "KafkaNodePool"), "spec", "replicas");
            assertThat(kafkaTopics(rendered).values()).as(overlay).allSatisfy(topic -> {
                assertThat((Integer) Nodes.at(topic, "spec", "replicas")).isLessThanOrEqualTo(brokers);
                assertThat(Integer.parseInt(Nodes.string(topic, "spec", "config", "min.insync.replicas")))
                        .isLessThanOrEqualTo((Integer) Nodes.at(topic, "spec", "replicas"));
            });
            assertThat(kafkaTopics(rendered).keySet()).containsAll(Topics.ALL.stream().map(Topic::name).toList());
            servicePorts.keySet().forEach(service -> assertThat(Nodes.string(container(
                    byName(rendered, "Deployment").get(service)), "image")).as(overlay).contains(service));
        }
    }

    static List<String> expectedRetryAndDeadLetterTopics() {
        List<String> names = new ArrayList<>();
        RETRIED.forEach(topic -> {
            RETRY_DELAYS_MS.forEach(delay -> names.add(topic.name() + "-retry-" + delay));
            names.add(topic.name() + "-dlt");
        });
        RETRIED_WITH_OWN_DELAYS.forEach((topic, delays) -> {
            delays.forEach(delay -> names.add(topic.name() + "-retry-" + delay));
            names.add(topic.name() + "-dlt");
        });
        DEAD_LETTERED.forEach(topic -> names.add(topic.name() + "-dlt"));
        return names;
    }

    /** Variable names a container gets: its env entries plus the keys of ConfigMaps it takes whole. */
    static Set<String> environmentNames(Map<String, Object> container, Map<String, Map<String, Object>> configMaps) {
        Set<String> names = new TreeSet<>();
        Nodes.list(container, "env").forEach(variable -> names.add(Nodes.string(variable, "name")));
        Nodes.list(container, "envFrom").forEach(source -> {
            String configMap = Nodes.string(source, "configMapRef", "name");
            assertThat(configMaps).as("ConfigMap " + configMap).containsKey(configMap);
            names.addAll(Nodes.map(configMaps.get(configMap), "data").keySet());
        });
        return names;
    }

    static Map<String, Object> container(Map<String, Object> deployment) {
        assertThat(deployment).as("Deployment").isNotNull();
        List<Object> containers = Nodes.list(deployment, "spec", "template", "spec", "containers");
        assertThat(containers).hasSize(1);
        return Nodes.map(containers.getFirst());
    }

    static Map<String, Map<String, Object>> kafkaTopics(List<Map<String, Object>> documents) {
        Map<String, Map<String, Object>> topics = new HashMap<>();
        ofKind(documents, "KafkaTopic").forEach(topic -> {
            String name = Optional.ofNullable(Nodes.string(topic, "spec", "topicName"))
                    .orElse(Nodes.string(topic, "metadata", "name"));
            assertThat(topics.put(name, topic)).as("duplicate KafkaTopic " + name).isNull();
        });
        return topics;
    }

    static Map<String, Map<String, Object>> byName(List<Map<String, Object>> documents, String kind) {
        Map<String, Map<String, Object>> named = new HashMap<>();
        ofKind(documents, kind).forEach(document -> named.put(Nodes.string(document, "metadata", "name"), document));
        return named;
    }

    static Map<String, Object> single(List<Map<String, Object>> documents, String kind) {
        List<Map<String, Object>> matching = ofKind(documents, kind);
        assertThat(matching).as(kind).hasSize(1);
        return matching.getFirst();
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
    }
}
