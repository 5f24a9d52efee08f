/** Events of the instructor report domain. */
@NullMarked
package dev.sift.contracts.report;

import org.jspecify.annotations.NullMarked;
