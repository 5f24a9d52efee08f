package dev.sift.report.reports;

import org.jspecify.annotations.Nullable;

/**
 * What {@link ReportConnectionFastPath} asks of {@link ReportFastPath}: the same decisions, behind an interface so
 * that the connection handler can be tested on a bare Netty channel.
 */
interface ReportAnswers {

    /** See {@link ReportFastPath#decide}. */
    ReportFastPath.@Nullable Decision decide(String id, String token);

    /** The status and body of an answer. */
    ReportFastPath.Immediate immediate(ReportRequests.Answer answer);

    /** Counts an answer written on the connection with those written by the WebFlux fast path. */
    void count(ReportFastPath.Immediate answer);
}
