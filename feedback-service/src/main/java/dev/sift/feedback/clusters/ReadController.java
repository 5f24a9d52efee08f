package dev.sift.feedback.clusters;

import dev.sift.security.SiftIdentity;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/feedback/{id}}, {@code GET /api/clusters}, {@code GET /api/clusters/{id}/feedback}:
 * any role of the same organisation; another organisation's id is 403, an unknown one 404.
 */
@RestController
class ReadController {

    static final int MAX_PAGE_SIZE = 200;

    private final FeedbackQueries queries;

    ReadController(FeedbackQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/api/feedback/{id}")
    Mono<FeedbackView> feedback(@PathVariable String id) {
        return caller().flatMap(caller -> queries.feedback(uuid(id))
                .switchIfEmpty(Mono.error(() -> notFound("feedback", id)))
                .flatMap(view -> sameOrganization(caller, view.organizationId()).thenReturn(view)));
    }

    @GetMapping("/api/clusters")
    Mono<Map<String, List<ClusterView>>> clusters(@RequestParam(defaultValue = "50") int limit) {
        int bounded = bounded("limit", limit, 1, MAX_PAGE_SIZE);
        return caller().flatMap(caller -> queries.largestClusters(caller.organizationId(), bounded).collectList())
                .map(clusters -> Map.of("clusters", clusters));
    }

    @GetMapping("/api/clusters/{id}/feedback")
    Mono<Map<String, Object>> clusterFeedback(@PathVariable String id, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        UUID cluster = uuid(id);
        int boundedPage = bounded("page", page, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
        int boundedSize = bounded("size", size, 1, MAX_PAGE_SIZE);
        return caller().flatMap(caller -> queries.clusterOwner(cluster)
                .switchIfEmpty(Mono.error(() -> notFound("cluster", id)))
                .flatMap(owner -> sameOrganization(caller, owner))
                .then(Mono.zip(queries.clusterMembers(cluster, boundedPage, boundedSize).collectList(),
                        queries.clusterMemberCount(cluster)))
                .map(pageAndTotal -> Map.of("items", pageAndTotal.getT1(), "page", boundedPage, "size", boundedSize,
                        "total", pageAndTotal.getT2())));
    }

    @ExceptionHandler
    ProblemDetail badParameter(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(java.net.URI.create("https://sift.dev/problems/invalid-request"));
        problem.setTitle("Invalid request parameter");
        return problem;
    }

    private static Mono<SiftIdentity> caller() {
        return SiftIdentity.current().switchIfEmpty(Mono.error(() -> new AccessDeniedException("no verified token")));
    }

    private static Mono<Void> sameOrganization(SiftIdentity caller, String organizationId) {
        return caller.organizationId().equals(organizationId) ? Mono.empty()
                : Mono.error(new AccessDeniedException("belongs to another organisation"));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound("resource", id);
        }
    }

    private static int bounded(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
        }
        return value;
    }

    private static ResponseStatusException notFound(String what, String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No " + what + " " + id);
    }
}
