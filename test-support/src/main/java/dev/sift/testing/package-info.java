/**
 * The integration-test harness on real parts. {@link dev.sift.testing.KafkaTestBroker} and
 * {@link dev.sift.testing.TestDatabase} are JVM-wide singletons; annotate a Spring test with
 * {@link dev.sift.testing.RealInfrastructure} to point its context at both.
 */
@NullMarked
package dev.sift.testing;

import org.jspecify.annotations.NullMarked;
