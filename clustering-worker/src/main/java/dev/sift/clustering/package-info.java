/** Batches feedback per organisation (100 items or 2 hours), embeds and clusters it. */
@NullMarked
package dev.sift.clustering;

import org.jspecify.annotations.NullMarked;
