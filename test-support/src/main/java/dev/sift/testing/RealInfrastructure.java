package dev.sift.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Points a Spring test context at the shared real broker and this run's Postgres database by setting
 * {@code SIFT_KAFKA_BOOTSTRAP}, {@code SIFT_DB_URL}, {@code SIFT_DB_USER} and {@code SIFT_DB_PASSWORD},
 * the same settings operators use.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RealInfrastructure {
}
