package dev.sift.testing;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** Applies {@link RealInfrastructure}: registered in {@code META-INF/spring.factories}. */
public class RealInfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .isPresent(RealInfrastructure.class) ? new Customizer() : null;
    }

    /** Stateless, so every context of a run is cacheable together. */
    private static final class Customizer implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestDatabase database = TestDatabase.get();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("siftRealInfrastructure",
                    Map.of("SIFT_KAFKA_BOOTSTRAP", KafkaTestBroker.bootstrapServers(),
                            "SIFT_DB_URL", database.url(),
                            "SIFT_DB_USER", database.user(),
                            "SIFT_DB_PASSWORD", database.password())));
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
