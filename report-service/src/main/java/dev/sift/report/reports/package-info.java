/**
 * Instructor reports: questions and reviews stored from {@code sift.lecture.question.v1} and
 * {@code sift.lecture.review.v1}; one generation per instructor and period, claimed by a unique row in Postgres
 * and carried out through {@code sift.report.requested.v1}; the report stored and announced on
 * {@code sift.report.generated.v1}.
 */
@NullMarked
package dev.sift.report.reports;

import org.jspecify.annotations.NullMarked;
