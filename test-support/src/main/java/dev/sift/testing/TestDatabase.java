package dev.sift.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/**
 * A fresh Postgres database for this test run, created on the server that {@code SIFT_DB_URL} names
 * (default {@code postgresql://localhost:5432/sift}) and dropped when the JVM exits.
 *
 * <p>URLs here have no driver prefix, as in {@code SIFT_DB_URL}: services add {@code jdbc:} or
 * {@code r2dbc:} themselves. The real server, never an in-memory imitation: SQL dialect, locking
 * and constraint behaviour are what the tests are about.
 */
public final class TestDatabase {

    private static @Nullable TestDatabase instance;

    private final String url;
    private final String user;
    private final String password;
    private final String name;

    private TestDatabase(String url, String user, String password, String name) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    /** The database of this test run, creating it on first use. */
    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    /** {@code postgresql://host:port/<fresh database>}, the form {@code SIFT_DB_URL} takes. */
    public String url() {
        return url;
    }

    public String jdbcUrl() {
        return "jdbc:" + url;
    }

    public String r2dbcUrl() {
        return "r2dbc:" + url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String name() {
        return name;
    }

    /** A plain JDBC connection to the test database, for assertions. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    private static TestDatabase create() {
        String server = env("SIFT_DB_URL", "postgresql://localhost:5432/sift");
        String user = env("SIFT_DB_USER", "postgres");
        String password = env("SIFT_DB_PASSWORD", "");
        URI uri = URI.create(server.startsWith("jdbc:") ? server.substring(5) : server);
        String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String admin = "jdbc:postgresql://" + hostPort + "/postgres";
        String name = "sift_it_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
                + ProcessHandle.current().pid();
        execute(admin, user, password, "CREATE DATABASE " + name);
        AfterSpringContexts.run("sift-test-db-drop",
                () -> execute(admin, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
        return new TestDatabase("postgresql://" + hostPort + "/" + name, user, password, name);
    }

    private static void execute(String jdbcUrl, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Postgres at " + jdbcUrl + " refused '" + sql + "': " + e.getMessage()
                    + " (is Postgres running? start it with: pg_ctlcluster --skip-systemctl-redirect "
                    + "$(ls /etc/postgresql) main start)", e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
