/**
 * Kafka and operations conventions shared by every Sift service: publishing typed events with
 * CloudEvents headers, declaring the contract's topics, and the platform defaults.
 */
@NullMarked
package dev.sift.kafka;

import org.jspecify.annotations.NullMarked;
