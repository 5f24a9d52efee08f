/** Events of the lecture domain. */
@NullMarked
package dev.sift.contracts.lecture;

import org.jspecify.annotations.NullMarked;
