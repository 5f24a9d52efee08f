package dev.sift.kafka;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Points Boot's config data at {@code <name>.properties} for an application whose source class is
 * annotated {@link SiftService}. Runs before Boot's {@code ConfigDataEnvironmentPostProcessor}
 * (order {@code HIGHEST_PRECEDENCE + 10}), which reads {@code spring.config.name}; the value is added
 * last, so an explicit {@code --spring.config.name} still wins.
 */
public class SiftServiceConfigName implements EnvironmentPostProcessor, Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 5;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        for (Object source : application.getAllSources()) {
            if (source instanceof Class<?> type && type.isAnnotationPresent(SiftService.class)) {
                String name = type.getAnnotation(SiftService.class).value();
                environment.getPropertySources().addLast(new MapPropertySource("siftServiceConfigName",
                        Map.of("spring.config.name", "application," + name)));
                return;
            }
        }
    }
}
