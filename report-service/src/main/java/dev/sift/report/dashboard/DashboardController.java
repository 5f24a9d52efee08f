package dev.sift.report.dashboard;

import dev.sift.security.SiftIdentity;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/instructors/{id}/dashboard}: an INSTRUCTOR reads only their own ({@code sub} = id),
 * an ADMIN anyone's. Without {@code from}/{@code to} it shows the last 30 days up to today (UTC).
 */
@RestController
class DashboardController {

    static final int DEFAULT_DAYS = 30;
    /** Bounds one query's work; a day-granular answer over longer ranges is not a dashboard any more. */
    static final int MAX_DAYS = 3 * 366;

    private final DashboardQueries queries;

    DashboardController(DashboardQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/api/instructors/{id}/dashboard")
    Mono<DashboardView> dashboard(@PathVariable String id, @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to, @RequestParam(required = false) @Nullable String lectureId,
            @RequestParam(defaultValue = "day") String granularity) {
        return SiftIdentity.current()
                .switchIfEmpty(Mono.error(() -> new AccessDeniedException("no verified token")))
                .flatMap(caller -> mayRead(caller, id) ? Mono.just(caller)
                        : Mono.error(new AccessDeniedException("may not read instructor " + id)))
                .flatMap(caller -> {
                    LocalDate end = to == null ? LocalDate.now(ZoneOffset.UTC) : date("to", to);
                    LocalDate start = from == null ? end.minusDays(DEFAULT_DAYS - 1) : date("from", from);
                    if (start.isAfter(end)) {
                        throw new IllegalArgumentException("from must not be after to");
                    }
                    if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
                        throw new IllegalArgumentException("from..to may span at most " + MAX_DAYS + " days");
                    }
                    if (lectureId != null && lectureId.isBlank()) {
                        throw new IllegalArgumentException("lectureId must not be blank");
                    }
                    return queries.dashboard(id, start, end, lectureId, Granularity.parse(granularity));
                });
    }

    @ExceptionHandler
    ProblemDetail badParameter(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(URI.create("https://sift.dev/problems/invalid-request"));
        problem.setTitle("Invalid request parameter");
        return problem;
    }

    static boolean mayRead(SiftIdentity caller, String instructorId) {
        return caller.hasRole("ADMIN") || (caller.hasRole("INSTRUCTOR") && caller.subject().equals(instructorId));
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date YYYY-MM-DD");
        }
    }
}
