package dev.sift.report.reports;

import dev.sift.contracts.Topics;
import dev.sift.contracts.lecture.QuestionAsked;
import dev.sift.contracts.lecture.ReviewPosted;
import dev.sift.report.ReadModelWrites;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * Stores questions and reviews, the material of instructor reports, keyed by {@code questionId} and
 * {@code reviewId}: a redelivered or re-sent one changes nothing. A value that does not parse goes to
 * {@code <topic>-dlt} and does not hold up the others.
 */
@Component
class LectureFeedbackProjector {

    private static final Logger log = LoggerFactory.getLogger(LectureFeedbackProjector.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private static final String INSERT_QUESTION = """
            INSERT INTO lecture_question (question_id, instructor_id, lecture_id, text, asked_at)
            VALUES ($1, $2, $3, $4, $5) ON CONFLICT (question_id) DO NOTHING""";

    private static final String INSERT_REVIEW = """
            INSERT INTO lecture_review (review_id, instructor_id, lecture_id, rating, text, reviewed_at)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (review_id) DO NOTHING""";

    private final ConnectionFactory connections;
    private final DeadLetterPublishingRecoverer deadLetters;

    LectureFeedbackProjector(ConnectionFactory connections, DeadLetterPublishingRecoverer deadLetters) {
        this.connections = connections;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = "report-lecture-feedback", batch = "true",
            topics = {"sift.lecture.question.v1", "sift.lecture.review.v1"})
    void project(List<ConsumerRecord<String, byte[]>> records) {
        List<QuestionAsked> questions = new ArrayList<>();
        List<ReviewPosted> reviews = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                if (record.value() == null) {
                    throw new SerializationException("empty value");
                }
                switch (record.topic()) {
                    case "sift.lecture.question.v1" -> questions.add(Topics.LECTURE_QUESTION.valueSerde().fromJson(record.value()));
                    case "sift.lecture.review.v1" -> reviews.add(Topics.LECTURE_REVIEW.valueSerde().fromJson(record.value()));
                    default -> throw new IllegalStateException("not subscribed to " + record.topic());
                }
            } catch (SerializationException | IllegalArgumentException e) {
                log.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
                deadLetters.accept(record, e);
            }
        }
        ReadModelWrites.inTransaction(connections, List.of(
                new ReadModelWrites.Batch<>(INSERT_QUESTION, questions, LectureFeedbackProjector::bindQuestion),
                new ReadModelWrites.Batch<>(INSERT_REVIEW, reviews, LectureFeedbackProjector::bindReview)))
                .block(WRITE_TIMEOUT);
    }

    private static void bindQuestion(Statement statement, QuestionAsked question) {
        statement.bind("$1", question.questionId()).bind("$2", question.instructorId()).bind("$3", question.lectureId())
                .bind("$4", question.text()).bind("$5", OffsetDateTime.ofInstant(question.askedAt(), ZoneOffset.UTC));
    }

    private static void bindReview(Statement statement, ReviewPosted review) {
        statement.bind("$1", review.reviewId()).bind("$2", review.instructorId()).bind("$3", review.lectureId())
                .bind("$4", (short) review.rating()).bind("$5", review.text())
                .bind("$6", OffsetDateTime.ofInstant(review.reviewedAt(), ZoneOffset.UTC));
    }
}
