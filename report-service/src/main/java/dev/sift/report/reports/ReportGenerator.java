package dev.sift.report.reports;

import dev.sift.contracts.Topics;
import dev.sift.contracts.report.ReportGenerated;
import dev.sift.contracts.report.ReportRequested;
import dev.sift.kafka.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one {@code sift.report.requested.v1}: only if its claim is still the current one (a stale or
 * superseded request does nothing), writes the report, stores it and announces it on
 * {@code sift.report.generated.v1}. A redelivery after the report was stored publishes the stored report again
 * instead of paying for a second generation. Runs on a listener thread, where blocking is fine.
 */
class ReportGenerator {

    private static final Logger log = LoggerFactory.getLogger(ReportGenerator.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final ReportStore store;
    private final ReportWriter writer;
    private final EventPublisher publisher;
    private final ReportProperties properties;
    private final ReportRequests requests;
    private final Clock clock = Clock.systemUTC();

    ReportGenerator(ReportStore store, ReportWriter writer, EventPublisher publisher, ReportProperties properties,
            ReportRequests requests) {
        this.requests = requests;
        this.store = store;
        this.writer = writer;
        this.publisher = publisher;
        this.properties = properties;
    }

    void generate(ReportRequested request) {
        UUID requestId = UUID.fromString(request.requestId());
        ReportStore.Row row = store.find(request.instructorId(), request.period()).block(DB_TIMEOUT);
        if (row == null || !row.requestId().equals(requestId)) {
            log.info("Report request {} of {} for {} is not the current claim; nothing to do", requestId,
                    request.instructorId(), request.period());
            return;
        }
        switch (row.status()) {
            case FAILED -> log.info("Report request {} already failed; the next GET claims the report again", requestId);
            case COMPLETED -> announce(request, row.report().strengths(), row.report().weaknesses(),
                    row.report().suggestions(), row.report().model(), row.inputTokens(), row.outputTokens(),
                    row.questionCount(), row.reviewCount(), row.report().generatedAt());
            case GENERATING -> {
                if (!Boolean.TRUE.equals(store.renew(requestId).block(DB_TIMEOUT))) {
                    return;
                }
                Material material = store.material(request.instructorId(), properties.maxQuestions(),
                        properties.maxReviews()).block(DB_TIMEOUT);
                WrittenReport report = writer.write(material);
                Instant generatedAt = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
                if (Boolean.TRUE.equals(store.complete(requestId, report, generatedAt).block(DB_TIMEOUT))) {
                    requests.settled(request.instructorId(), request.period());
                    log.info("Report {} of {} for {} written by {} from {} questions and {} reviews", requestId,
                            request.instructorId(), request.period(), report.model(), report.questionCount(),
                            report.reviewCount());
                    announce(request, report.strengths(), report.weaknesses(), report.suggestions(), report.model(),
                            report.inputTokens(), report.outputTokens(), report.questionCount(), report.reviewCount(),
                            generatedAt);
                }
            }
        }
    }

    /** The retries are exhausted or the failure is permanent: give the claim up so the next request starts over. */
    void giveUp(ReportRequested request, String reason) {
        Boolean failed = store.fail(UUID.fromString(request.requestId()), reason).block(DB_TIMEOUT);
        requests.settled(request.instructorId(), request.period());
        log.warn("Report request {} of {} for {} failed{}: {}", request.requestId(), request.instructorId(),
                request.period(), Boolean.TRUE.equals(failed) ? "" : " (claim no longer current)", reason);
    }

    private void announce(ReportRequested request, java.util.List<String> strengths, java.util.List<String> weaknesses,
            java.util.List<String> suggestions, String model, long inputTokens, long outputTokens, int questions,
            int reviews, Instant generatedAt) {
        publisher.publish(Topics.REPORT_GENERATED, request.instructorId(), new ReportGenerated(request.requestId(),
                request.instructorId(), request.period(), strengths, weaknesses, suggestions, model, inputTokens,
                outputTokens, questions, reviews, generatedAt)).block(DB_TIMEOUT);
    }
}
