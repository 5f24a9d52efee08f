package dev.sift.report.bills;

import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.contracts.bill.BillSummarized;
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
 * Materialises {@code sift.bill.received.v1} and {@code sift.bill.summarized.v1} into {@code bill} and
 * {@code bill_summary}. The first received record of a bill id wins (a duplicate changes nothing); the summary
 * with the latest {@code summarizedAt} wins, so a FAILED followed by a later COMPLETED (a replayed dead letter)
 * ends COMPLETED, and a redelivered older one cannot undo it. A value that does not parse goes to
 * {@code <topic>-dlt} and does not hold up the others.
 */
@Component
class BillProjector {

    private static final Logger log = LoggerFactory.getLogger(BillProjector.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private static final String INSERT_BILL = """
            INSERT INTO bill (bill_id, title, proposer, committee, proposed_at, body, received_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (bill_id) DO NOTHING""";

    private static final String UPSERT_SUMMARY = """
            INSERT INTO bill_summary (bill_id, status, summary, model, input_tokens, output_tokens, attempts, summarized_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (bill_id) DO UPDATE SET status = EXCLUDED.status, summary = EXCLUDED.summary,
                model = EXCLUDED.model, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
                attempts = EXCLUDED.attempts, summarized_at = EXCLUDED.summarized_at
            WHERE bill_summary.summarized_at < EXCLUDED.summarized_at""";

    private final ConnectionFactory connections;
    private final DeadLetterPublishingRecoverer deadLetters;

    BillProjector(ConnectionFactory connections, DeadLetterPublishingRecoverer deadLetters) {
        this.connections = connections;
        this.deadLetters = deadLetters;
    }

    @KafkaListener(id = "report-bills-read-model", batch = "true",
            topics = {"sift.bill.received.v1", "sift.bill.summarized.v1"})
    void project(List<ConsumerRecord<String, byte[]>> records) {
        List<BillReceived> received = new ArrayList<>();
        List<BillSummarized> summarized = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                if (record.value() == null) {
                    throw new SerializationException("empty value");
                }
                switch (record.topic()) {
                    case "sift.bill.received.v1" -> received.add(Topics.BILL_RECEIVED.valueSerde().fromJson(record.value()));
                    case "sift.bill.summarized.v1" ->
                            summarized.add(Topics.BILL_SUMMARIZED.valueSerde().fromJson(record.value()));
                    default -> throw new IllegalStateException("not subscribed to " + record.topic());
                }
            } catch (SerializationException | IllegalArgumentException e) {
                log.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
                deadLetters.accept(record, e);
            }
        }
        ReadModelWrites.inTransaction(connections, List.of(
                new ReadModelWrites.Batch<>(INSERT_BILL, received, BillProjector::bindBill),
                new ReadModelWrites.Batch<>(UPSERT_SUMMARY, latestPerBill(summarized), BillProjector::bindSummary)))
                .block(WRITE_TIMEOUT);
    }

    /** Of one poll's summaries of a bill only the latest can win, so only it is written. */
    private static List<BillSummarized> latestPerBill(List<BillSummarized> summaries) {
        java.util.Map<String, BillSummarized> latest = new java.util.LinkedHashMap<>();
        for (BillSummarized summary : summaries) {
            latest.merge(summary.billId(), summary,
                    (a, b) -> b.summarizedAt().isBefore(a.summarizedAt()) ? a : b);
        }
        return List.copyOf(latest.values());
    }

    private static void bindBill(Statement statement, BillReceived bill) {
        statement.bind("$1", bill.billId()).bind("$2", bill.title()).bind("$3", bill.proposer())
                .bind("$4", bill.committee()).bind("$5", bill.proposedAt()).bind("$6", bill.body())
                .bind("$7", OffsetDateTime.ofInstant(bill.receivedAt(), ZoneOffset.UTC));
    }

    private static void bindSummary(Statement statement, BillSummarized summary) {
        statement.bind("$1", summary.billId()).bind("$2", summary.status().name());
        if (summary.summary() == null || summary.status() != BillSummarized.Status.COMPLETED) {
            statement.bindNull("$3", String.class);
        } else {
            statement.bind("$3", summary.summary());
        }
        statement.bind("$4", summary.model()).bind("$5", summary.inputTokens()).bind("$6", summary.outputTokens())
                .bind("$7", summary.attempts())
                .bind("$8", OffsetDateTime.ofInstant(summary.summarizedAt(), ZoneOffset.UTC));
    }
}
