package dev.sift.report.bills;

import dev.sift.contracts.Topics;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.kafka.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Accepts one bill: publishes {@code sift.bill.received.v1} keyed by bill id and completes only after the
 * broker's acknowledgement. A bill id is claimed in {@code bill_intake} first, so a re-post of the same bill
 * publishes nothing (the summary is paid for once); a claim left unpublished by a request that failed or died
 * is published again with the same {@code receivedAt}, so the event is identical and the read model, keyed by
 * bill id, takes it once.
 */
@Service
class BillIntake {

    /** The answer waits for Kafka at most this long; past it the client gets 503 and may retry. */
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private static final String CLAIM = """
            INSERT INTO bill_intake (bill_id, fingerprint, received_at) VALUES (:billId, :fingerprint, :receivedAt)
            ON CONFLICT (bill_id) DO NOTHING
            RETURNING fingerprint, received_at, published_at""";

    private static final String FIND = "SELECT fingerprint, received_at, published_at FROM bill_intake WHERE bill_id = :billId";

    private record Claim(String fingerprint, Instant receivedAt, boolean published) {
    }

    private final EventPublisher publisher;
    private final DatabaseClient db;
    private final Clock clock = Clock.systemUTC();

    BillIntake(EventPublisher publisher, DatabaseClient db) {
        this.publisher = publisher;
        this.db = db;
    }

    /** Completes when the bill is durably in Kafka (now or by an earlier post of the same bill). */
    Mono<Void> accept(ValidBill bill) {
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        return db.sql(CLAIM).bind("billId", bill.billId()).bind("fingerprint", bill.fingerprint())
                .bind("receivedAt", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .map((row, meta) -> claim(row)).one()
                .switchIfEmpty(Mono.defer(() -> db.sql(FIND).bind("billId", bill.billId())
                        .map((row, meta) -> claim(row)).one()))
                .flatMap(claim -> {
                    if (!claim.fingerprint().equals(bill.fingerprint())) {
                        return Mono.error(new BillIdReusedException(bill.billId()));
                    }
                    if (claim.published()) {
                        return Mono.empty();
                    }
                    return publish(bill, claim.receivedAt());
                });
    }

    private Mono<Void> publish(ValidBill bill, Instant receivedAt) {
        BillReceived event = new BillReceived(bill.billId(), bill.title(), bill.proposer(), bill.committee(),
                bill.proposedAt(), bill.body(), receivedAt);
        return publisher.publish(Topics.BILL_RECEIVED, bill.billId(), event)
                .timeout(PUBLISH_TIMEOUT)
                .onErrorMap(KafkaUnavailableException::new)
                .then(db.sql("UPDATE bill_intake SET published_at = now() WHERE bill_id = :billId AND published_at IS NULL")
                        .bind("billId", bill.billId()).then());
    }

    private static Claim claim(io.r2dbc.spi.Readable row) {
        return new Claim(row.get("fingerprint", String.class), row.get("received_at", OffsetDateTime.class).toInstant(),
                row.get("published_at", OffsetDateTime.class) != null);
    }
}
