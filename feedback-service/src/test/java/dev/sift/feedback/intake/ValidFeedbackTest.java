package dev.sift.feedback.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValidFeedbackTest {

    @Test
    void trimsAndNormalisesToNfc() {
        ValidFeedback feedback = ValidFeedback.of(new FeedbackRequest("  Cafe\u0301 was loud \n", " lecture-1 "));
        assertThat(feedback.text()).isEqualTo("Caf\u00e9 was loud");
        assertThat(feedback.lectureId()).isEqualTo("lecture-1");
    }

    @Test
    void countsCharactersAsCodePointsSoEmojiCountOnce() {
        String twoThousandEmoji = "\uD83D\uDE00".repeat(2000);
        assertThat(ValidFeedback.of(new FeedbackRequest(twoThousandEmoji, null)).text()).hasSize(4000);
        assertThatThrownBy(() -> ValidFeedback.of(new FeedbackRequest(twoThousandEmoji + "x", null)))
                .isInstanceOf(InvalidFeedbackException.class)
                .hasMessageContaining("at most 2000 characters, was 2001");
    }

    @Test
    void rejectsMissingOrBlankText() {
        assertThatThrownBy(() -> ValidFeedback.of(null)).hasMessage("text: is required");
        assertThatThrownBy(() -> ValidFeedback.of(new FeedbackRequest(null, "l"))).hasMessage("text: is required");
        assertThatThrownBy(() -> ValidFeedback.of(new FeedbackRequest(" \t\n ", null)))
                .hasMessage("text: must not be blank");
    }

    @Test
    void rejectsLectureIdOver64Characters() {
        assertThat(ValidFeedback.of(new FeedbackRequest("ok", "l".repeat(64))).lectureId()).hasSize(64);
        assertThatThrownBy(() -> ValidFeedback.of(new FeedbackRequest("ok", "l".repeat(65))))
                .isInstanceOfSatisfying(InvalidFeedbackException.class,
                        e -> assertThat(e.field()).isEqualTo("lectureId"));
    }

    @Test
    void blankLectureIdMeansNone() {
        assertThat(ValidFeedback.of(new FeedbackRequest("ok", "  ")).lectureId()).isNull();
    }

    @Test
    void fingerprintDistinguishesRequestsAndIgnoresWhitespaceAroundText() {
        String first = ValidFeedback.of(new FeedbackRequest("same text", "l1")).fingerprint();
        assertThat(ValidFeedback.of(new FeedbackRequest("  same text ", "l1")).fingerprint()).isEqualTo(first);
        assertThat(ValidFeedback.of(new FeedbackRequest("same text", "l2")).fingerprint()).isNotEqualTo(first);
        assertThat(ValidFeedback.of(new FeedbackRequest("same text", null)).fingerprint()).isNotEqualTo(first);
    }
}
