/**
 * The read model: feedback, cluster assignments and clusters, materialised from Kafka so that
 * feedback any service produces shows up, and every write is an idempotent upsert.
 */
@NullMarked
package dev.sift.feedback.readmodel;

import org.jspecify.annotations.NullMarked;
