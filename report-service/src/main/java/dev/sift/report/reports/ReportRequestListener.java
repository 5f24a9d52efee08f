package dev.sift.report.reports;

import dev.sift.contracts.Topics;
import dev.sift.contracts.report.ReportRequested;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code sift.report.requested.v1} and its retry topics (see {@link ReportRetryConfiguration}). A failed
 * generation moves to a delayed retry topic and the partition goes on; when the retries are exhausted, or the
 * failure is permanent, the record lands on {@code -dlt}, where {@link #onDeadLetter} marks the report FAILED so
 * that the next GET requests it again.
 */
@Component
class ReportRequestListener {

    static final String BEAN = "reportRequestListener";
    private static final Logger log = LoggerFactory.getLogger(ReportRequestListener.class);

    private final ReportGenerator generator;

    ReportRequestListener(ReportGenerator generator) {
        this.generator = generator;
    }

    @KafkaListener(id = "report-generation", topics = "sift.report.requested.v1", groupId = "report-generation",
            concurrency = "${sift.report.reports.concurrency:1}")
    void onRequest(ConsumerRecord<String, byte[]> record) {
        // An unparseable value throws SerializationException, which goes straight to the DLT.
        generator.generate(Topics.REPORT_REQUESTED.valueSerde().fromJson(record.value()));
    }

    /** Called with each dead letter; named in {@link ReportRetryConfiguration}. */
    void onDeadLetter(ConsumerRecord<String, byte[]> record) {
        ReportRequested request;
        try {
            request = Topics.REPORT_REQUESTED.valueSerde().fromJson(record.value());
        } catch (RuntimeException e) {
            log.warn("Dead letter {}-{}@{} is not a report request; left for operators", record.topic(),
                    record.partition(), record.offset());
            return;
        }
        Header reason = record.headers().lastHeader(KafkaHeaders.EXCEPTION_MESSAGE);
        generator.giveUp(request, reason == null ? "retries exhausted" : new String(reason.value(), StandardCharsets.UTF_8));
    }
}
