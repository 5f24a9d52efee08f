/**
 * Summarising bills: the engines for each mode ({@code background} with polling, {@code sync}, {@code batch},
 * and the local extractive one), hedging, and the outcome of every bill as data.
 */
@NullMarked
package dev.sift.bills.summaries;

import org.jspecify.annotations.NullMarked;
