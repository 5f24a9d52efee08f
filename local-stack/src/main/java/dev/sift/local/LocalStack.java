package dev.sift.local;

import dev.sift.bills.BillSummaryWorkerApplication;
import dev.sift.clustering.ClusteringWorkerApplication;
import dev.sift.feedback.FeedbackServiceApplication;
import dev.sift.gateway.GatewayApplication;
import dev.sift.gateway.tokens.TokenIssuer;
import dev.sift.report.ReportServiceApplication;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.FileSystemUtils;
import sun.misc.Signal;

/**
 * Starts Sift on one machine: an embedded KRaft broker on 127.0.0.1:9092 (unless
 * {@code SIFT_KAFKA_BOOTSTRAP} names one), then the five services, each in its own application
 * context on its contract port, against the Postgres at {@code SIFT_DB_URL}. Prints
 * {@code Sift ready: http://127.0.0.1:8080} once every readiness group is UP.
 *
 * <p>The services share one classpath here, so every context gets the same baseline (database
 * URLs, Flyway and the gateway off); a service's own {@code <name>.properties} turns on what it
 * uses. Command-line {@code --name=value} arguments and environment variables reach every service.
 */
public final class LocalStack {

    static final String READY_LINE = "Sift ready: http://127.0.0.1:8080";
    static final String DEMO_TOKEN_PREFIX = "Demo token: ";
    /** The demo organisation of the printed token; stable across starts so demo data stays visible. */
    static final String DEMO_ORGANIZATION = "00000000-0000-4000-8000-00000000d3e0";
    static final String DEMO_SUBJECT = "demo-user";
    private static final Duration DEMO_TOKEN_TTL = Duration.ofHours(12);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** A service of the stack: its name, port and how to build its application. */
    record Service(String name, int port, Supplier<SpringApplicationBuilder> builder) {
    }

    static final List<Service> SERVICES = List.of(
            new Service(FeedbackServiceApplication.NAME, 8081, FeedbackServiceApplication::builder),
            new Service(ReportServiceApplication.NAME, 8082, ReportServiceApplication::builder),
            new Service(ClusteringWorkerApplication.NAME, 8083, ClusteringWorkerApplication::builder),
            new Service(BillSummaryWorkerApplication.NAME, 8084, BillSummaryWorkerApplication::builder),
            new Service(GatewayApplication.NAME, 8080, GatewayApplication::builder));

    private final Map<String, String> env;
    private final String[] args;
    private final PrintStream out;
    /** The running services by name; filled concurrently while they start. */
    private final Map<String, ConfigurableApplicationContext> running = new ConcurrentHashMap<>();
    /** How long one service may take to close before the stop goes on without it. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private @Nullable EmbeddedKafkaKraftBroker broker;
    private volatile @Nullable Path streamsState;

    LocalStack(Map<String, String> env, String[] args, PrintStream out) {
        this.env = env;
        this.args = args.clone();
        this.out = out;
    }

    public static void main(String[] args) {
        // One Logback for five contexts: configured once from logback.xml, not re-initialised by each
        // context (concurrent re-initialisation duplicates appenders and races).
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        LocalStack stack = new LocalStack(System.getenv(), args, System.out);
        // Ctrl-C and SIGTERM stop the services and the broker first, and only then exit. Left to the JVM's shutdown
        // hooks, our stop would run beside Kafka's test kit's own hook, which deletes the embedded broker's log
        // directory: a service still closing then writes to a broker whose disk is gone and the stop hangs on
        // producer retries (seen on a loaded machine). The hook stays for every other way out (System.exit).
        // A second signal while stopping ends the process at once.
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> {
                if (!stopping.compareAndSet(false, true)) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                Thread.ofPlatform().name("sift-local-stop-" + name).daemon(false).start(() -> {
                    stack.stop();
                    System.exit(128 + signal.getNumber());
                });
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "sift-local-stop"));
        try {
            stack.start();
        } catch (StartupException e) {
            System.err.println("sift-local: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Starts broker and services and waits until all are ready; a {@link StartupException} says what is missing. */
    void start() {
        Instant begin = Instant.now();
        String dbUrl = env.getOrDefault("SIFT_DB_URL", "postgresql://localhost:5432/sift");
        String dbUser = env.getOrDefault("SIFT_DB_USER", "postgres");
        String dbPassword = env.getOrDefault("SIFT_DB_PASSWORD", "");
        String bootstrap = env.get("SIFT_KAFKA_BOOTSTRAP");

        for (Service service : SERVICES) {
            requireFreePort(service.port(), service.name());
        }
        PostgresDatabase.ensureExists(dbUrl, dbUser, dbPassword);
        if (bootstrap == null || bootstrap.isBlank()) {
            requireFreePort(9092, "the embedded Kafka broker (or set SIFT_KAFKA_BOOTSTRAP to use yours)");
            bootstrap = startBroker();
        }

        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("SIFT_KAFKA_BOOTSTRAP", bootstrap);
        baseline.put("SIFT_DB_URL", dbUrl);
        baseline.put("SIFT_DB_USER", dbUser);
        baseline.put("SIFT_DB_PASSWORD", dbPassword);
        // One classpath holds every service's auto-configuration: give each context a database URL
        // and switch off what only some services use; their own properties switch it back on.
        baseline.put("spring.datasource.url", "jdbc:" + dbUrl);
        baseline.put("spring.datasource.username", dbUser);
        baseline.put("spring.datasource.password", dbPassword);
        baseline.put("spring.r2dbc.url", "r2dbc:" + dbUrl);
        baseline.put("spring.r2dbc.username", dbUser);
        baseline.put("spring.r2dbc.password", dbPassword);
        baseline.put("spring.flyway.enabled", "false");
        baseline.put("spring.cloud.gateway.server.webflux.enabled", "false");
        baseline.put("spring.main.banner-mode", "off");
        if (broker != null) {
            // Kafka Streams state belongs to the broker it was built from: the embedded broker's data dies with this
            // process, so the state does too. State left by an earlier run in the services' default directories
            // would point at offsets this fresh broker never had (the restore then fails and starts over).
            streamsState = createTempDirectory("sift-local-streams");
            baseline.put("sift.clustering.streams.state-dir", streamsState.resolve("clustering").toString());
            baseline.put("sift.bills.streams.state-dir", streamsState.resolve("bills").toString());
            baseline.put("SIFT_REPORT_STATE_DIR", streamsState.resolve("report").toString());
        }

        startServices(baseline);
        awaitReadiness();
        out.println(READY_LINE);
        out.println(DEMO_TOKEN_PREFIX + demoToken());
        out.printf("(demo token: subject %s, organisation %s, roles MEMBER INSTRUCTOR ADMIN, valid %d h)%n",
                DEMO_SUBJECT, DEMO_ORGANIZATION, DEMO_TOKEN_TTL.toHours());
        out.printf("(started in %.1f s; Kafka at %s, Postgres at %s)%n",
                Duration.between(begin, Instant.now()).toMillis() / 1000.0, bootstrap, dbUrl);
        out.flush();
    }

    private String startBroker() {
        EmbeddedKafkaKraftBroker embedded = new EmbeddedKafkaKraftBroker(1, 6);
        embedded.brokerProperties(Map.of(
                // The KRaft test kit pre-binds random ports for its own EXTERNAL and CONTROLLER
                // listeners (and ignores kafkaPorts()); a third listener it does not know binds the
                // contract's 127.0.0.1:9092 for real, and clients that bootstrap there are told to stay.
                "listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,SIFT://127.0.0.1:9092",
                "advertised.listeners", "EXTERNAL://localhost:0,SIFT://127.0.0.1:9092",
                "listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SIFT:PLAINTEXT",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0"));
        embedded.afterPropertiesSet();
        broker = embedded;
        return "127.0.0.1:9092";
    }

    private void startServices(Map<String, Object> baseline) {
        // Started side by side: start-up is mostly class loading and bean creation, which overlap well.
        try (var executor = Executors.newFixedThreadPool(SERVICES.size())) {
            List<CompletableFuture<Void>> starts = SERVICES.stream()
                    .map(service -> CompletableFuture.runAsync(() -> {
                        ConfigurableApplicationContext context = service.builder().get()
                                .properties(baseline)
                                .registerShutdownHook(false)
                                .run(args);
                        running.put(service.name(), context);
                    }, executor))
                    .toList();
            for (int i = 0; i < starts.size(); i++) {
                try {
                    starts.get(i).join();
                } catch (RuntimeException e) {
                    throw new StartupException(SERVICES.get(i).name() + " did not start: " + rootMessage(e), e);
                }
            }
        }
    }

    /** A token signed by the gateway's key, so every service of the stack accepts it. */
    private String demoToken() {
        return running.get(GatewayApplication.NAME).getBean(TokenIssuer.class)
                .issue(DEMO_SUBJECT, DEMO_ORGANIZATION, List.of("MEMBER", "INSTRUCTOR", "ADMIN"), DEMO_TOKEN_TTL);
    }

    private void awaitReadiness() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        for (Service service : SERVICES) {
            URI readiness = URI.create("http://127.0.0.1:" + service.port() + "/actuator/health/readiness");
            while (!isUp(http, readiness)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new StartupException(service.name() + " is not ready after " + READY_TIMEOUT.toSeconds()
                            + " s (" + readiness + ")");
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    private static boolean isUp(HttpClient http, URI uri) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Closes the services in reverse order of {@link #SERVICES} (gateway first), then the broker. Runs once: from a
     * signal and then again from the shutdown hook, the second call finds nothing left to close.
     */
    synchronized void stop() {
        for (Service service : SERVICES.reversed()) {
            ConfigurableApplicationContext context = running.remove(service.name());
            if (context == null) {
                continue;
            }
            // Bounded: once, after a heavy load, closing a context waited without end for Reactor Netty's shared
            // resources to be disposed (ReactorResourceFactory.stop blocks with no timeout); a stop must still end.
            Thread closer = Thread.ofPlatform().name("sift-local-close-" + service.name()).daemon().start(() -> {
                try {
                    context.close();
                } catch (RuntimeException e) {
                    System.err.println("sift-local: closing " + service.name() + ": " + e.getMessage());
                }
            });
            try {
                if (!closer.join(CLOSE_TIMEOUT)) {
                    System.err.println("sift-local: " + service.name() + " did not close within "
                            + CLOSE_TIMEOUT.toSeconds() + " s; stopping the rest");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        EmbeddedKafkaKraftBroker embedded = broker;
        broker = null;
        if (embedded != null) {
            // Kafka's test kit deletes its temporary directory from its own shutdown hook, which runs
            // beside this one; the broker's complaints about vanished checkpoint files are noise then.
            silence("kafka", "org.apache.kafka");
            embedded.destroy();
        }
        Path state = streamsState;
        streamsState = null;
        if (state != null) {
            FileSystemUtils.deleteRecursively(state.toFile());
        }
    }

    private static Path createTempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new StartupException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    private static void silence(String... loggers) {
        for (String name : loggers) {
            if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(ch.qos.logback.classic.Level.OFF);
            }
        }
    }

    private static void requireFreePort(int port, String owner) {
        // SO_REUSEADDR before bind, as the services' servers do: a port whose last connections are in
        // TIME_WAIT (a stack that just stopped) is free for them, so it must be free here too.
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
        } catch (IOException e) {
            throw new StartupException("port " + port + " for " + owner + " is in use; stop whatever holds it "
                    + "(e.g. another sift-local) and start again");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for the services", e);
        }
    }

    /** Start-up cannot continue; the message is the one line an operator sees. */
    static final class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message);
        }

        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Makes sure the database named in {@code SIFT_DB_URL} exists on a reachable server. */
    static final class PostgresDatabase {

        private PostgresDatabase() {
        }

        static void ensureExists(String url, String user, String password) {
            URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
            String name = uri.getPath().replaceFirst("^/", "");
            String server = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
            try (Connection connection = DriverManager.getConnection(server + "/postgres", user, password);
                    Statement statement = connection.createStatement()) {
                try (ResultSet rows = statement.executeQuery(
                        "SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'")) {
                    if (rows.next()) {
                        return;
                    }
                }
                statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            } catch (SQLException e) {
                throw new StartupException("Postgres is not reachable at " + url + " as " + user + " (" + e.getMessage()
                        + "); start it, e.g. pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start,"
                        + " or set SIFT_DB_URL");
            }
        }
    }
}
