/**
 * The durable batcher: a Kafka Streams processor that buffers records per key in a persistent state
 * store and emits one batch record when a key holds {@code max-items} records or its oldest record is
 * {@code max-wait} old, whichever comes first.
 */
@NullMarked
package dev.sift.batching;

import org.jspecify.annotations.NullMarked;
