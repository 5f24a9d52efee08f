package dev.sift.report;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One poll's rows in one transaction with pipelined statements: what the report-service read models share.
 * Offsets are committed after the transaction, so a crash replays the poll and the idempotent statements make
 * the replay harmless.
 */
public final class ReadModelWrites {

    /** Binds one row into a statement. */
    @FunctionalInterface
    public interface Binder<T> {
        void bind(Statement statement, T row);
    }

    /** One statement with all its rows. */
    public record Batch<T>(String sql, List<T> rows, Binder<T> binder) {
    }

    private ReadModelWrites() {
    }

    public static Mono<Void> inTransaction(ConnectionFactory connections, List<Batch<?>> batches) {
        if (batches.stream().allMatch(batch -> batch.rows().isEmpty())) {
            return Mono.empty();
        }
        Function<Connection, Mono<Void>> work = connection -> {
            Mono<Void> chain = Mono.from(connection.beginTransaction());
            for (Batch<?> batch : batches) {
                chain = chain.then(execute(connection, batch));
            }
            return chain.then(Mono.from(connection.commitTransaction()));
        };
        return Mono.usingWhen(connections.create(), work, Connection::close,
                (connection, error) -> Mono.from(connection.rollbackTransaction()).then(Mono.from(connection.close())),
                Connection::close);
    }

    /** R2DBC sends the bindings of one statement pipelined, in one round trip. */
    private static <T> Mono<Void> execute(Connection connection, Batch<T> batch) {
        if (batch.rows().isEmpty()) {
            return Mono.empty();
        }
        Statement statement = connection.createStatement(batch.sql());
        for (int i = 0; i < batch.rows().size(); i++) {
            if (i > 0) {
                statement.add();
            }
            batch.binder().bind(statement, batch.rows().get(i));
        }
        return Flux.from(statement.execute()).flatMap(result -> result.getRowsUpdated()).then();
    }
}
