package dev.sift.feedback.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Feedback that meets the contract: text trimmed, in Unicode NFC, 1..2000 characters (code points,
 * so an emoji counts once); lecture id at most 64 characters.
 */
record ValidFeedback(String text, @Nullable String lectureId) {

    static final int MAX_TEXT = 2000;
    static final int MAX_LECTURE_ID = 64;

    static ValidFeedback of(@Nullable FeedbackRequest request) {
        if (request == null || request.text() == null) {
            throw new InvalidFeedbackException("text", "is required");
        }
        String text = Normalizer.normalize(request.text().strip(), Normalizer.Form.NFC);
        int length = text.codePointCount(0, text.length());
        if (length == 0) {
            throw new InvalidFeedbackException("text", "must not be blank");
        }
        if (length > MAX_TEXT) {
            throw new InvalidFeedbackException("text", "must be at most " + MAX_TEXT + " characters, was " + length);
        }
        String lectureId = request.lectureId() == null ? null : request.lectureId().strip();
        if (lectureId != null && lectureId.isEmpty()) {
            lectureId = null;
        }
        if (lectureId != null && lectureId.codePointCount(0, lectureId.length()) > MAX_LECTURE_ID) {
            throw new InvalidFeedbackException("lectureId", "must be at most " + MAX_LECTURE_ID + " characters");
        }
        return new ValidFeedback(text, lectureId);
    }

    /** Identifies the request for Idempotency-Key reuse checks. */
    String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(String.valueOf(lectureId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
