package dev.sift.clustering;

import dev.sift.kafka.SiftService;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Batches feedback per organisation (100 items or 2 hours), embeds and clusters it.
 *
 * <p>Its settings live in {@code clustering-worker.properties} loaded as config data by {@link SiftService} (see
 * there why not {@code application.yml}).
 */
@SpringBootApplication
@SiftService("clustering-worker")
public class ClusteringWorkerApplication {

    public static final String NAME = "clustering-worker";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ClusteringWorkerApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
