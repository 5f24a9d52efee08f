/** Events of the feedback domain. */
@NullMarked
package dev.sift.contracts.feedback;

import org.jspecify.annotations.NullMarked;
