/**
 * Feedback intake: validate, publish {@code sift.feedback.submitted.v1}, answer 202 once Kafka has
 * acknowledged the write. No AI call is on this path.
 */
@NullMarked
package dev.sift.feedback.intake;

import org.jspecify.annotations.NullMarked;
