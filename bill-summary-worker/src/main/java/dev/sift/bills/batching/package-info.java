/** Received bills → batches per proposal date: 50 bills or 20 s, whichever first. */
@NullMarked
package dev.sift.bills.batching;

import org.jspecify.annotations.NullMarked;
