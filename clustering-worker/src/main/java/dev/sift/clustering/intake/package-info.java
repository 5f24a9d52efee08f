/** Closed batches from {@code sift.feedback.batched.v1} into the clusterer, with retry topics and a DLT. */
@NullMarked
package dev.sift.clustering.intake;

import org.jspecify.annotations.NullMarked;
