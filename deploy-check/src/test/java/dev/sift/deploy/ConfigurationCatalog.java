package dev.sift.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which environment variables a Sift service can actually read, worked out from the code and the documented
 * contract, so that a manifest setting a misspelt or invented variable fails a test instead of being silently
 * ignored at run time.
 *
 * <p>Sources, each turned into Spring property names and then into the two environment-variable spellings
 * Spring Boot's relaxed binding accepts ({@code sift.ai.embedding.api-key} → {@code SIFT_AI_EMBEDDING_APIKEY}
 * and {@code SIFT_AI_EMBEDDING_API_KEY}):
 * <ul>
 * <li>{@code ${SIFT_...}} placeholders in the modules' main sources and properties files;</li>
 * <li>keys of the modules' main properties files, and property names written as Java string literals
 * ({@code environment.getProperty("sift.clustering.streams.state-dir")});</li>
 * <li>{@code @ConfigurationProperties} records, component by component, following nested records;</li>
 * <li>the operator settings documented in docs/contracts.md (Configuration and Tokens), so a manifest may
 * set a documented setting before the module that reads it is merged;</li>
 * <li>Spring Boot's own properties from the configuration metadata of the Boot modules on the test
 * classpath (Kafka, Redis).</li>
 * </ul>
 */
final class ConfigurationCatalog {

    /** Operator settings documented in docs/contracts.md; a trailing {@code .*} marks a map of named entries. */
    static final List<String> DOCUMENTED = List.of(
            "sift.batching.max-items", "sift.batching.max-wait", "sift.batching.pipelines.*",
            "sift.ai.embedding.provider", "sift.ai.embedding.base-url", "sift.ai.embedding.api-key",
            "sift.ai.embedding.model", "sift.ai.embedding.requests-per-minute",
            "sift.ai.embedding.tokens-per-minute", "sift.ai.embedding.max-concurrency",
            "sift.ai.generation.provider", "sift.ai.generation.base-url", "sift.ai.generation.api-key",
            "sift.ai.generation.model", "sift.ai.generation.mode", "sift.ai.generation.requests-per-minute",
            "sift.ai.generation.tokens-per-minute", "sift.ai.generation.max-concurrency",
            "sift.security.jwt.issuer", "sift.security.jwt.audience", "sift.security.jwt.public-key-locations",
            "sift.security.jwt.jwk-set-uri", "sift.security.jwt.private-key-location", "sift.security.jwt.key-id");

    /** Read by the JVM itself, not by Spring. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern PROPERTY_LITERAL =
            Pattern.compile("\"((?:sift|spring|management|server|logging)\\.[a-z0-9][a-z0-9.\\-]*[a-z0-9])\"");
    private static final Pattern PROPERTIES_KEY = Pattern.compile("(?m)^\\s*([a-z][a-zA-Z0-9.\\-]*)\\s*[=:]");
    private static final Pattern CONFIGURATION_PROPERTIES = Pattern.compile(
            "@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"([^\"]+)\"");
    private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*(?:<[^>]*>)?\\s*\\(");
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+");

    private final Set<String> placeholders = new TreeSet<>();
    private final Set<String> properties = new TreeSet<>();
    private final Set<String> mapPrefixes = new TreeSet<>();

    private ConfigurationCatalog() {
    }

    /** Scans every module of the repository except {@code excludedModule} (this checker itself). */
    static ConfigurationCatalog scan(Repository repository, String excludedModule) {
        ConfigurationCatalog catalog = new ConfigurationCatalog();
        Map<String, List<Component>> records = new HashMap<>();
        List<String[]> roots = new ArrayList<>();
        for (String module : repository.modules()) {
            Path main = repository.resolve(module).resolve("src/main");
            if (module.equals(excludedModule) || !Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".java")) {
                        catalog.scanJava(Repository.read(file), records, roots);
                    } else if (name.endsWith(".properties") || name.endsWith(".yml") || name.endsWith(".yaml")) {
                        String text = Repository.read(file);
                        catalog.collectPlaceholders(text);
                        if (name.endsWith(".properties")) {
                            Matcher key = PROPERTIES_KEY.matcher(text);
                            while (key.find()) {
                                catalog.properties.add(key.group(1));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String[] root : roots) {
            catalog.addRecord(root[0], root[1], records, 0);
        }
        for (String documented : DOCUMENTED) {
            catalog.addProperty(documented);
        }
        catalog.loadSpringBootMetadata();
        return catalog;
    }

    /** Whether a service could read this environment variable; false means the manifest's setting is dead. */
    boolean reads(String variable) {
        if (JVM_VARIABLES.contains(variable) || placeholders.contains(variable)) {
            return true;
        }
        for (String property : properties) {
            if (environmentNames(property).contains(variable)) {
                return true;
            }
        }
        for (String prefix : mapPrefixes) {
            for (String name : environmentNames(prefix)) {
                if (variable.startsWith(name + "_")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The spellings relaxed binding maps to a property: dashes removed, or dashes as underscores. */
    static Set<String> environmentNames(String property) {
        String upper = property.toUpperCase(Locale.ROOT).replace('.', '_');
        return new HashSet<>(List.of(upper.replace("-", ""), upper.replace('-', '_')));
    }

    private void addProperty(String property) {
        if (property.endsWith(".*")) {
            mapPrefixes.add(property.substring(0, property.length() - 2));
        } else {
            properties.add(property);
        }
    }

    private void collectPlaceholders(String text) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
    }

    private void scanJava(String source, Map<String, List<Component>> records, List<String[]> roots) {
        collectPlaceholders(source);
        Matcher literal = PROPERTY_LITERAL.matcher(source);
        while (literal.find()) {
            properties.add(literal.group(1));
        }
        Matcher record = RECORD.matcher(source);
        while (record.find()) {
            records.put(record.group(1), components(source, record.end()));
        }
        Matcher annotated = CONFIGURATION_PROPERTIES.matcher(source);
        while (annotated.find()) {
            Matcher next = RECORD.matcher(source);
            if (next.find(annotated.end())) {
                roots.add(new String[] {annotated.group(1), next.group(1)});
            } else {
                // A JavaBean-style or unparsed properties class: accept anything under its prefix.
                mapPrefixes.add(annotated.group(1));
            }
        }
    }

    private void addRecord(String prefix, String recordName, Map<String, List<Component>> records, int depth) {
        List<Component> components = records.get(recordName);
        if (components == null || depth > 6) {
            mapPrefixes.add(prefix);
            return;
        }
        for (Component component : components) {
            String property = prefix + "." + kebab(component.name());
            if (component.type().startsWith("Map") || component.type().endsWith("Map")) {
                mapPrefixes.add(property);
            } else if (records.containsKey(component.type())) {
                addRecord(property, component.type(), records, depth + 1);
            } else {
                properties.add(property);
            }
        }
    }

    private void loadSpringBootMetadata() {
        try {
            Enumeration<URL> resources = getClass().getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json");
            JsonMapper mapper = JsonMapper.builder().build();
            while (resources.hasMoreElements()) {
                try (InputStream in = resources.nextElement().openStream()) {
                    JsonNode metadata = mapper.readTree(in);
                    for (JsonNode property : metadata.path("properties")) {
                        String name = property.path("name").asString();
                        if (property.path("type").asString().startsWith("java.util.Map")) {
                            mapPrefixes.add(name);
                        } else {
                            properties.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Record components from just after the opening parenthesis: simple type name and component name. */
    static List<Component> components(String source, int start) {
        int depth = 1;
        int end = start;
        while (end < source.length() && depth > 0) {
            char c = source.charAt(end);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            end++;
        }
        String header = stripAnnotations(source.substring(start, end - 1));
        List<Component> components = new ArrayList<>();
        int angle = 0;
        StringBuilder current = new StringBuilder();
        for (char c : (header + ",").toCharArray()) {
            if (c == '<') {
                angle++;
            } else if (c == '>') {
                angle--;
            }
            if (c == ',' && angle == 0) {
                String[] words = current.toString().trim().split("\\s+");
                if (words.length >= 2) {
                    String type = words[words.length - 2].replaceAll("<.*", "").replaceAll(".*\\.", "")
                            .replace("[]", "").replace("...", "");
                    String typeWithGenerics = String.join(" ", java.util.Arrays.copyOf(words, words.length - 1));
                    components.add(new Component(typeWithGenerics.contains("Map<") ? "Map" : type,
                            words[words.length - 1]));
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        return components;
    }

    /** Removes annotations and their (possibly nested) argument lists from a record header. */
    private static String stripAnnotations(String header) {
        StringBuilder out = new StringBuilder();
        Matcher matcher = ANNOTATION.matcher(header);
        int position = 0;
        while (matcher.find(position)) {
            out.append(header, position, matcher.start());
            int after = matcher.end();
            while (after < header.length() && header.charAt(after) == ' ') {
                after++;
            }
            if (after < header.length() && header.charAt(after) == '(') {
                int depth = 0;
                do {
                    char c = header.charAt(after);
                    if (c == '(') {
                        depth++;
                    } else if (c == ')') {
                        depth--;
                    }
                    after++;
                } while (depth > 0 && after < header.length());
            }
            out.append(' ');
            position = after;
        }
        out.append(header.substring(position));
        return out.toString();
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    Set<String> knownPropertiesForTest() {
        Set<String> all = new HashSet<>(properties);
        mapPrefixes.forEach(prefix -> all.add(prefix + ".*"));
        return all;
    }

    record Component(String type, String name) {
    }
}
