/** Instructor dashboards and reports, bill ingestion and the bills read model. */
@NullMarked
package dev.sift.report;

import org.jspecify.annotations.NullMarked;
