/** Batches of feedback → embeddings → incremental per-organisation clusters with labels, stored and emitted. */
@NullMarked
package dev.sift.clustering.clusters;

import org.jspecify.annotations.NullMarked;
