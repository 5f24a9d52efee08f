package dev.sift.report.bills;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A bill that meets the contract: {@code billId} 1..64 characters of letters, digits, {@code . _ -} (it is a
 * Kafka key and a URL segment); {@code title} 1..500 and {@code body} 1..100,000 characters, not blank;
 * {@code proposer} and {@code committee} present, at most 500 (blank allowed: collectors sometimes lack them);
 * {@code proposedAt} a date {@code YYYY-MM-DD}. Text is trimmed and in Unicode NFC.
 */
record ValidBill(String billId, String title, String proposer, String committee, LocalDate proposedAt,
        String body) {

    static final int MAX_ID = 64;
    static final int MAX_LINE = 500;
    static final int MAX_BODY = 100_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_ID + "}");

    static ValidBill of(@Nullable BillRequest request) {
        if (request == null) {
            throw new InvalidBillException("billId", "is required");
        }
        String billId = required("billId", request.billId(), MAX_ID, false);
        if (!ID.matcher(billId).matches()) {
            throw new InvalidBillException("billId", "must be 1.." + MAX_ID + " letters, digits, '.', '_' or '-'");
        }
        String title = required("title", request.title(), MAX_LINE, false);
        String proposer = required("proposer", request.proposer(), MAX_LINE, true);
        String committee = required("committee", request.committee(), MAX_LINE, true);
        String proposedAtText = required("proposedAt", request.proposedAt(), 10, false);
        LocalDate proposedAt;
        try {
            proposedAt = LocalDate.parse(proposedAtText);
        } catch (DateTimeParseException e) {
            throw new InvalidBillException("proposedAt", "must be a date YYYY-MM-DD");
        }
        String body = required("body", request.body(), MAX_BODY, false);
        return new ValidBill(billId, title, proposer, committee, proposedAt, body);
    }

    /** Tells a re-post of the same bill from a different bill under a reused id. */
    String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {billId, title, proposer, committee, proposedAt.toString(), body}) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String required(String field, @Nullable String value, int max, boolean blankAllowed) {
        if (value == null) {
            throw new InvalidBillException(field, "is required");
        }
        String text = Normalizer.normalize(value.strip(), Normalizer.Form.NFC);
        if (text.isEmpty() && !blankAllowed) {
            throw new InvalidBillException(field, "must not be blank");
        }
        int length = text.codePointCount(0, text.length());
        if (length > max) {
            throw new InvalidBillException(field, "must be at most " + max + " characters, was " + length);
        }
        return text;
    }
}
