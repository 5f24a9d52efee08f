package dev.sift.report.bills;

import dev.sift.security.SiftIdentity;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/bills} (ADMIN), {@code GET /api/bills?date=} and {@code GET /api/bills/{billId}} (any role).
 * Bills are public records, so reads are not scoped by organisation.
 */
@RestController
class BillController {

    private final BillIntake intake;
    private final BillQueries queries;

    BillController(BillIntake intake, BillQueries queries) {
        this.intake = intake;
        this.queries = queries;
    }

    @PostMapping(path = "/api/bills", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, String>>> submit(@RequestBody(required = false) @Nullable BillRequest request) {
        // The role is checked before the body, so a caller without ADMIN learns nothing about validation.
        return caller()
                .flatMap(caller -> caller.hasRole("ADMIN") ? Mono.just(caller)
                        : Mono.error(new AccessDeniedException("submitting bills needs ADMIN")))
                .flatMap(caller -> {
                    ValidBill bill = ValidBill.of(request);
                    return intake.accept(bill).thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED)
                            .body(Map.of("billId", bill.billId(), "status", "ACCEPTED")));
                });
    }

    /** Bills proposed on {@code date} (UTC calendar date, default today), ordered by bill id. */
    @GetMapping("/api/bills")
    Mono<BillView.Page> byDate(@RequestParam(required = false) @Nullable String date) {
        return caller().flatMap(caller -> {
            LocalDate day;
            try {
                day = date == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                return Mono.error(new InvalidBillException("date", "must be a date YYYY-MM-DD"));
            }
            return queries.proposedOn(day).collectList().map(BillView.Page::new);
        });
    }

    @GetMapping("/api/bills/{billId}")
    Mono<BillView> bill(@PathVariable String billId) {
        return caller().flatMap(caller -> queries.bill(billId))
                .switchIfEmpty(Mono.error(() -> new UnknownBillException(billId)));
    }

    private static Mono<SiftIdentity> caller() {
        return SiftIdentity.current().switchIfEmpty(Mono.error(() -> new AccessDeniedException("no verified token")));
    }
}
