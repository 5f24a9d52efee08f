/** Submitted feedback → batches per organisation: 100 items or 2 hours, whichever first. */
@NullMarked
package dev.sift.clustering.batching;

import org.jspecify.annotations.NullMarked;
