package dev.sift.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The checked-out repository as the deploy checks see it: its modules, the deployable services with the port
 * each one's own properties file sets, and YAML files read the way compose and kubectl read them.
 */
final class Repository {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private final Path root;

    private Repository(Path root) {
        this.root = root;
    }

    /** Finds the repository root above the working directory (Surefire runs in the module's directory). */
    static Repository locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("deploy"))
                    && Files.isDirectory(dir.resolve("contracts"))) {
                return new Repository(dir);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }

    Path root() {
        return root;
    }

    Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** The modules the root pom aggregates, in order. */
    List<String> modules() {
        Matcher matcher = MODULE.matcher(read(root.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (matcher.find()) {
            modules.add(matcher.group(1).trim());
        }
        return modules;
    }

    /**
     * Every deployable service, by module name, with its {@code server.port}: a module is a service when it
     * has {@code src/main/resources/<module>.properties} setting a port (the convention every Sift service
     * follows so that the local stack can run all of them in one JVM).
     */
    Map<String, Integer> servicePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String module : modules()) {
            Path file = root.resolve(module).resolve("src/main/resources").resolve(module + ".properties");
            if (Files.isRegularFile(file)) {
                String port = properties(file).getProperty("server.port");
                if (port != null) {
                    ports.put(module, Integer.valueOf(port.trim()));
                }
            }
        }
        return ports;
    }

    /** Whether the service's own properties file reads SIFT_DB_URL, i.e. it owns a schema in Postgres. */
    boolean usesDatabase(String module) {
        Path file = root.resolve(module).resolve("src/main/resources").resolve(module + ".properties");
        return Files.isRegularFile(file) && read(file).contains("${SIFT_DB_URL");
    }

    static Properties properties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One YAML document as a map; merge keys ({@code <<: *anchor}) resolved as compose resolves them. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        return document == null ? Map.of() : (Map<String, Object>) document;
    }

    /** Every non-empty document of a multi-document YAML text (Kubernetes manifests). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }
}
