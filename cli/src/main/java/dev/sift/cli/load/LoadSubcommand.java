package dev.sift.cli.load;

import dev.sift.cli.kafka.KafkaOptions;
import dev.sift.contracts.EventJson;
import dev.sift.contracts.SiftEvent;
import dev.sift.contracts.Topic;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the three {@code load} subcommands share: where the events come from ({@code --file} or
 * {@code --generate}), and where they go (the topic, or the gateway's REST API).
 */
abstract class LoadSubcommand<V extends SiftEvent> implements Callable<Integer> {

    /** Exactly one source of events. */
    static final class Source {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "Read events from FILE.")
        @Nullable Path file;

        @Option(names = "--generate", paramLabel = "N", required = true, description = "Generate N events.")
        @Nullable Integer generate;
    }

    @Mixin
    @SuppressWarnings("NullAway.Init")
    KafkaOptions kafka;

    @ArgGroup(exclusive = true, multiplicity = "1")
    @SuppressWarnings("NullAway.Init")
    Source source;

    @Option(names = "--orgs", paramLabel = "K", defaultValue = "3",
            description = "Spread events over K organisations (instructors for activity); default ${DEFAULT-VALUE}.")
    int orgs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed; default ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--via-gateway", paramLabel = "URL",
            description = "POST through the gateway at URL (e.g. http://127.0.0.1:8080) instead of producing to Kafka.")
    @Nullable URI gateway;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:SIFT_TOKEN}",
            description = "Bearer token for --via-gateway (default: $SIFT_TOKEN).")
    @Nullable String token;

    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    abstract Topic<V> topic();

    abstract String key(V event);

    /** Events read from a file. */
    abstract List<V> read(Path file, List<String> organizations, Random random) throws IOException;

    abstract List<V> generate(int count, List<String> organizations, Random random);

    /** The REST path and JSON body for the gateway, or null when the gateway has no endpoint for this event. */
    abstract @Nullable GatewayCall viaGateway(V event);

    /** A POST to the gateway; the idempotency key lets the gateway drop a retried duplicate. */
    record GatewayCall(String path, Object body, @Nullable String idempotencyKey) {
    }

    @Override
    public Integer call() throws Exception {
        if (orgs < 1) {
            throw new IllegalArgumentException("--orgs must be at least 1");
        }
        if (source.generate != null && source.generate < 1) {
            throw new IllegalArgumentException("--generate must be at least 1");
        }
        Random random = new Random(seed);
        List<String> organizations = organizations(orgs);
        List<V> events;
        if (source.file != null) {
            try {
                events = read(source.file, organizations, random);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("--file: no such file " + source.file);
            }
        } else {
            events = generate(source.generate == null ? 0 : source.generate, organizations, random);
        }
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        String where = gateway != null ? post(events) : produce(events);
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        out.printf("Sent %d %s to %s in %.1f s (%.0f/s).%n", events.size(), spec.name(), where, seconds,
                events.size() / seconds);
        return 0;
    }

    /** Stable organisation ids, so repeated loads land in the same organisations. */
    static List<String> organizations(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> UUID.nameUUIDFromBytes(("sift-load-org-" + i).getBytes()).toString())
                .toList();
    }

    private String produce(List<V> events) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(config, new StringSerializer(),
                topic().valueSerde().withSource("/sift/cli").serializer())) {
            for (V event : events) {
                producer.send(new ProducerRecord<>(topic().name(), key(event), event), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot produce to " + topic().name() + ": " + e.getMessage(), e);
        }
        Exception first = failure.get();
        if (first != null) {
            throw new IllegalStateException("some events were not acknowledged by Kafka: " + first.getMessage(), first);
        }
        return topic().name();
    }

    private String post(List<V> events) throws InterruptedException {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("--via-gateway needs --token (or $SIFT_TOKEN)");
        }
        URI base = gateway;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // A few requests in flight: enough to load a local stack, few enough not to trip its rate limits at once.
        Semaphore inFlight = new Semaphore(16);
        AtomicLong failed = new AtomicLong();
        AtomicReference<@Nullable String> firstFailure = new AtomicReference<>();
        CompletableFuture<?>[] calls = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            GatewayCall call = viaGateway(events.get(i));
            if (call == null) {
                throw new IllegalArgumentException("the gateway has no endpoint for " + spec.name() + "; drop --via-gateway");
            }
            HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(call.path()))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(EventJson.MAPPER.writeValueAsBytes(call.body())));
            if (call.idempotencyKey() != null) {
                builder.header("Idempotency-Key", call.idempotencyKey());
            }
            HttpRequest request = builder.build();
            inFlight.acquire();
            calls[i] = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, e) -> {
                        inFlight.release();
                        if (e != null || response.statusCode() / 100 != 2) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e != null ? e.toString()
                                    : response.statusCode() + " " + response.body().replaceAll("\\s+", " "));
                        }
                    });
        }
        try {
            CompletableFuture.allOf(calls).exceptionally(e -> null).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + events.size() + " requests failed; first: "
                    + firstFailure.get());
        }
        return base.toString();
    }

    static <T> T pick(List<T> items, Random random) {
        return items.get(random.nextInt(items.size()));
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
    }
}
