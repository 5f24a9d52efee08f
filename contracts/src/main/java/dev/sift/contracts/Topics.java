package dev.sift.contracts;

import dev.sift.contracts.bill.BillBatched;
import dev.sift.contracts.bill.BillReceived;
import dev.sift.contracts.bill.BillSummarized;
import dev.sift.contracts.feedback.ClusterLabeled;
import dev.sift.contracts.feedback.FeedbackBatched;
import dev.sift.contracts.feedback.FeedbackClustered;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import dev.sift.contracts.lecture.LectureActivityRecorded;
import dev.sift.contracts.lecture.QuestionAsked;
import dev.sift.contracts.lecture.ReviewPosted;
import dev.sift.contracts.report.ReportGenerated;
import dev.sift.contracts.report.ReportRequested;
import java.util.List;

/** Every topic in the contract (docs/contracts.md, section Topics). */
public final class Topics {

    /** Key: organization id. Produced by feedback-service or any service. */
    public static final Topic<FeedbackSubmitted> FEEDBACK_SUBMITTED =
            Topic.of("sift.feedback.submitted.v1", FeedbackSubmitted.class);

    /** Key: organization id. Internal to clustering-worker: one record per closed batch. */
    public static final Topic<FeedbackBatched> FEEDBACK_BATCHED =
            Topic.of("sift.feedback.batched.v1", FeedbackBatched.class);

    /** Key: organization id. One record per clustered feedback. */
    public static final Topic<FeedbackClustered> FEEDBACK_CLUSTERED =
            Topic.of("sift.feedback.clustered.v1", FeedbackClustered.class);

    /** Key: organization id. One record per new or changed cluster. */
    public static final Topic<ClusterLabeled> CLUSTER_LABELED =
            Topic.of("sift.cluster.labeled.v1", ClusterLabeled.class);

    /** Key: bill id. Produced by report-service or a collector. */
    public static final Topic<BillReceived> BILL_RECEIVED =
            Topic.of("sift.bill.received.v1", BillReceived.class);

    /** Key: proposal date (YYYY-MM-DD). Internal to bill-summary-worker: one record per closed batch. */
    public static final Topic<BillBatched> BILL_BATCHED =
            Topic.of("sift.bill.batched.v1", BillBatched.class);

    /** Key: bill id. Produced by bill-summary-worker. */
    public static final Topic<BillSummarized> BILL_SUMMARIZED =
            Topic.of("sift.bill.summarized.v1", BillSummarized.class);

    /** Key: instructor id. Produced by lecture services. */
    public static final Topic<LectureActivityRecorded> LECTURE_ACTIVITY =
            Topic.of("sift.lecture.activity.v1", LectureActivityRecorded.class);

    /** Key: instructor id. Produced by lecture services. */
    public static final Topic<QuestionAsked> LECTURE_QUESTION =
            Topic.of("sift.lecture.question.v1", QuestionAsked.class);

    /** Key: instructor id. Produced by lecture services. */
    public static final Topic<ReviewPosted> LECTURE_REVIEW =
            Topic.of("sift.lecture.review.v1", ReviewPosted.class);

    /** Key: instructor id. Produced by report-service: one per claimed (instructor, period) report. */
    public static final Topic<ReportRequested> REPORT_REQUESTED =
            Topic.of("sift.report.requested.v1", ReportRequested.class);

    /** Key: instructor id. Produced by report-service when a report is stored. */
    public static final Topic<ReportGenerated> REPORT_GENERATED =
            Topic.of("sift.report.generated.v1", ReportGenerated.class);

    public static final List<Topic<?>> ALL = List.of(FEEDBACK_SUBMITTED, FEEDBACK_BATCHED, FEEDBACK_CLUSTERED,
            CLUSTER_LABELED, BILL_RECEIVED, BILL_BATCHED, BILL_SUMMARIZED, LECTURE_ACTIVITY, LECTURE_QUESTION,
            LECTURE_REVIEW, REPORT_REQUESTED, REPORT_GENERATED);

    private Topics() {
    }
}
