package dev.sift.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a Sift service on its application class. Its settings are then read from
 * {@code <name>.properties} as Spring Boot config data ({@code spring.config.name=application,<name>}),
 * with Boot's ordinary precedence: above the platform defaults, below environment variables and
 * arguments.
 *
 * <p>Why not {@code application.properties}: the local stack runs all five services on one classpath,
 * where five files of one name would shadow each other. Why not {@code @PropertySource}: its sources
 * rank below default properties, so the platform defaults and the local stack's baseline would win
 * over a service's own settings.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SiftService {

    /** The service name: {@code spring.application.name} and the base name of its properties file. */
    String value();
}
