package dev.sift.contracts.lecture;

import dev.sift.contracts.Require;
import dev.sift.contracts.SiftEvent;
import java.time.Instant;

/** A student asked a question in a lecture. Topic {@code sift.lecture.question.v1}, key instructor id. */
public record QuestionAsked(String questionId, String instructorId, String lectureId, String text, Instant askedAt)
        implements SiftEvent {

    public QuestionAsked {
        Require.text(questionId, "questionId");
        Require.text(instructorId, "instructorId");
        Require.text(lectureId, "lectureId");
        Require.text(text, "text");
        Require.present(askedAt, "askedAt");
    }

    @Override
    public Instant eventTime() {
        return askedAt;
    }
}
