package dev.sift.cli.dlq;

import dev.sift.cli.kafka.KafkaOptions;
import java.io.PrintWriter;
import java.util.Map;

/** Runs a replay or skip and tells the operator what happened, or would happen in a dry run. */
final class ReplayReport {

    private ReplayReport() {
    }

    static int run(KafkaOptions kafka, DeadLetterReplayer.Plan plan, PrintWriter out, PrintWriter err) {
        DeadLetterReplayer.ProgressListener bar = plan.dryRun() ? DeadLetterReplayer.ProgressListener.NONE : ProgressBar.on(out);
        DeadLetterReplayer.Outcome outcome =
                new DeadLetterReplayer(kafka.clientConfig(), plan, bar, DeadLetterReplayer.CommitHook.NONE).run();
        print(plan, outcome, out, err);
        return 0;
    }

    static void print(DeadLetterReplayer.Plan plan, DeadLetterReplayer.Outcome outcome, PrintWriter out, PrintWriter err) {
        String topic = plan.deadLetterTopic();
        if (plan.mode() == DeadLetterReplayer.Mode.SKIP) {
            out.println((plan.dryRun() ? "Dry run: would skip " : "Skipped ") + outcome.skipped() + " record"
                    + plural(outcome.skipped()) + " of " + topic + ".");
        } else {
            out.println((plan.dryRun() ? "Dry run: would replay " : "Replayed ") + outcome.replayed() + " record"
                    + plural(outcome.replayed()) + " of " + topic + (outcome.parked() > 0 || plan.maxReplays() != null
                    ? " and " + (plan.dryRun() ? "would park " : "parked ") + outcome.parked() + " to " + plan.parkingTopic() : "") + ".");
        }
        if (outcome.noProgressFound()) {
            err.println("sift: note: consumer group " + DeadLetterLog.REPLAY_GROUP + " had no progress for " + topic
                    + ": a first run, or its offsets expired (offsets.retention.minutes); started at the beginning.");
        }
        if (outcome.alreadyHandled() > 0) {
            out.println(outcome.alreadyHandled() + " already replayed, parked or skipped before.");
        }
        if (outcome.leftBehind() > 0) {
            out.println(outcome.leftBehind() + " left pending: not matching " + plan.filter().describe()
                    + (outcome.noDestination() > 0 ? " or (" + outcome.noDestination()
                    + ") without a kafka_original-topic header (pass --to)" : "") + ".");
        }
        if (outcome.maxReached()) {
            out.println("Stopped at --max " + plan.max() + "; run again to continue.");
        }
        histogram(out, "by exception", outcome.byException());
        histogram(out, "by original topic", outcome.byOriginalTopic());
        histogram(out, "to", outcome.byDestination());
        out.println(plan.dryRun() ? "Pending now: " + outcome.pendingBefore()
                : "Pending: " + outcome.pendingAfter() + " (consumer group " + DeadLetterLog.REPLAY_GROUP + ")");
        if (!outcome.stalledPartitions().isEmpty()) {
            err.println("sift: warning: stopped early in partition(s) at " + String.join(", ", outcome.stalledPartitions())
                    + ": more than " + PartitionProgress.MAX_RANGES + " separate gaps of pending records; replay or "
                    + "skip the records in the gaps, then run again.");
        }
    }

    private static void histogram(PrintWriter out, String title, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return;
        }
        out.println(title + ":");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.printf("  %8d  %s%n", e.getValue(), e.getKey()));
    }

    private static String plural(long count) {
        return count == 1 ? "" : "s";
    }
}
