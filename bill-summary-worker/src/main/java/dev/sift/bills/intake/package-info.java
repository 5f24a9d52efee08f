/**
 * Closed batches from {@code sift.bill.batched.v1} into the summary engine: idempotency by bill id in Postgres,
 * retry topics that carry only the failed bills, the DLT and FAILED events.
 */
@NullMarked
package dev.sift.bills.intake;

import org.jspecify.annotations.NullMarked;
