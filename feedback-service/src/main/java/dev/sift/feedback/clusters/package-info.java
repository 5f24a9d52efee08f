/** Reading feedback and clusters back, scoped to the caller's organisation. */
@NullMarked
package dev.sift.feedback.clusters;

import org.jspecify.annotations.NullMarked;
