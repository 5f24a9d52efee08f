/** Accepts feedback without waiting on any AI call and serves clusters. */
@NullMarked
package dev.sift.feedback;

import org.jspecify.annotations.NullMarked;
