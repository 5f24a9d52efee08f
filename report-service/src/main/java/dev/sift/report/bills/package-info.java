/**
 * Bill ingestion ({@code POST /api/bills} publishes {@code sift.bill.received.v1}) and the bills read model
 * materialised from {@code sift.bill.received.v1} and {@code sift.bill.summarized.v1}.
 */
@NullMarked
package dev.sift.report.bills;

import org.jspecify.annotations.NullMarked;
