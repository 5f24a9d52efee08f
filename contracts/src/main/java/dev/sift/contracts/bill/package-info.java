/** Events of the bill domain. */
@NullMarked
package dev.sift.contracts.bill;

import org.jspecify.annotations.NullMarked;
