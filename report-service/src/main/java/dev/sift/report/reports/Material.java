package dev.sift.report.reports;

import java.util.List;

/** The questions and reviews a report is written from, newest first. */
record Material(List<Question> questions, List<Review> reviews) {

    record Question(String lectureId, String text) {
    }

    record Review(String lectureId, int rating, String text) {
    }

    boolean isEmpty() {
        return questions.isEmpty() && reviews.isEmpty();
    }
}
