package dev.sift.clustering;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.PropertySource;

/**
 * Batches feedback per organisation (100 items or 2 hours), embeds and clusters it.
 *
 * <p>Its settings live in {@code clustering-worker.properties} rather than {@code application.yml} so that the
 * local stack can run all five services in one JVM without their files shadowing each other.
 */
@SpringBootApplication
@PropertySource("classpath:clustering-worker.properties")
public class ClusteringWorkerApplication {

    public static final String NAME = "clustering-worker";

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ClusteringWorkerApplication.class).properties("spring.application.name=" + NAME);
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
