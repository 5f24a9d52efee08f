package dev.sift.feedback.clusters;

import java.time.Instant;
import java.util.List;

/** A cluster as {@code GET /api/clusters} shows it, with the texts of its sample feedback. */
record ClusterView(String id, String label, int size, Instant updatedAt, List<String> samples) {
}
