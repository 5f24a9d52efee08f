package dev.sift.report.bills;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads bills with their summary state; a bill without a summary row is PENDING. */
@Component
class BillQueries {

    private static final String SELECT = """
            SELECT b.bill_id, b.title, b.proposer, b.committee, b.proposed_at, b.body, b.received_at,
                   s.status, s.summary, s.model, s.summarized_at
            FROM bill b LEFT JOIN bill_summary s ON s.bill_id = b.bill_id
            """;

    private final DatabaseClient db;

    BillQueries(DatabaseClient db) {
        this.db = db;
    }

    Mono<BillView> bill(String billId) {
        return db.sql(SELECT + "WHERE b.bill_id = :billId").bind("billId", billId).map((row, meta) -> view(row)).one();
    }

    Flux<BillView> proposedOn(LocalDate date) {
        return db.sql(SELECT + "WHERE b.proposed_at = :date ORDER BY b.bill_id").bind("date", date)
                .map((row, meta) -> view(row)).all();
    }

    private static BillView view(io.r2dbc.spi.Readable row) {
        String status = row.get("status", String.class);
        OffsetDateTime summarizedAt = row.get("summarized_at", OffsetDateTime.class);
        BillView.Summary summary = status == null ? new BillView.Summary("PENDING", null, null, null)
                : new BillView.Summary(status, "COMPLETED".equals(status) ? row.get("summary", String.class) : null,
                        row.get("model", String.class), summarizedAt == null ? null : summarizedAt.toInstant());
        return new BillView(row.get("bill_id", String.class), row.get("title", String.class),
                row.get("proposer", String.class), row.get("committee", String.class),
                row.get("proposed_at", LocalDate.class), row.get("body", String.class),
                row.get("received_at", OffsetDateTime.class).toInstant(), summary);
    }
}
