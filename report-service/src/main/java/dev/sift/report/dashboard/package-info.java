/**
 * Instructor dashboards: a Kafka Streams topology folds {@code sift.lecture.activity.v1} into daily
 * aggregates per instructor and lecture, writes them to Postgres, and {@code GET /api/instructors/{id}/dashboard}
 * reads them in day, week or month buckets.
 */
@NullMarked
package dev.sift.report.dashboard;

import org.jspecify.annotations.NullMarked;
