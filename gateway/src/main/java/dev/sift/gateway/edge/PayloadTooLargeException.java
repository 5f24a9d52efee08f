package dev.sift.gateway.edge;

import org.springframework.util.unit.DataSize;

/** A request body grew past the limit while it was being streamed to a service. */
final class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(DataSize limit) {
        super("The request body is larger than " + limit.toKilobytes() + " KB");
    }
}
