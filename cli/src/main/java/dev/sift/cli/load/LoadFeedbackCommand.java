package dev.sift.cli.load;

import dev.sift.contracts.Topic;
import dev.sift.contracts.Topics;
import dev.sift.contracts.feedback.FeedbackSubmitted;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;

/** {@code sift load feedback}: learner feedback, from the CLINC150 TSV or generated around a few themes. */
@Command(name = "feedback", mixinStandardHelpOptions = true,
        description = {"Feedback events to sift.feedback.submitted.v1 (or POST /api/feedback).",
            "--file takes a TSV with a header line and the text in the first column, such as CLINC150's "
                    + "test.tsv (text<TAB>intent); --generate writes feedback around a dozen themes."})
final class LoadFeedbackCommand extends LoadSubcommand<FeedbackSubmitted> {

    private static final List<String> THEMES = List.of(
            "The audio in %s is too quiet to follow",
            "Please add subtitles to %s",
            "The examples in %s went by too fast",
            "I loved the hands-on exercise in %s",
            "The slides for %s are missing from the download page",
            "Video playback of %s keeps buffering on mobile",
            "The quiz after %s has a wrong answer marked correct",
            "Could you explain recursion in %s more slowly",
            "The instructor's pace in %s was perfect",
            "The code in %s does not compile with the current JDK",
            "More real-world projects like %s please",
            "The homework deadline for %s was unclear");
    private static final List<String> TAILS = List.of("", ".", "!", " — thanks.", ", honestly.", " again.");

    @Override
    Topic<FeedbackSubmitted> topic() {
        return Topics.FEEDBACK_SUBMITTED;
    }

    @Override
    String key(FeedbackSubmitted event) {
        return event.organizationId();
    }

    @Override
    List<FeedbackSubmitted> read(Path file, List<String> organizations, Random random) throws IOException {
        List<FeedbackSubmitted> events = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("text\t")) {
                continue;
            }
            int tab = line.indexOf('\t');
            String text = (tab < 0 ? line : line.substring(0, tab)).strip();
            if (!text.isEmpty()) {
                events.add(feedback(text, organizations, random));
            }
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException("--file: no feedback lines in " + file);
        }
        return events;
    }

    @Override
    List<FeedbackSubmitted> generate(int count, List<String> organizations, Random random) {
        List<FeedbackSubmitted> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String lecture = "lecture " + (1 + random.nextInt(8));
            String text = THEMES.get(random.nextInt(THEMES.size())).formatted(lecture) + pick(TAILS, random);
            events.add(feedback(text, organizations, random));
        }
        return events;
    }

    private static FeedbackSubmitted feedback(String text, List<String> organizations, Random random) {
        String organization = pick(organizations, random);
        String author = new UUID(organization.hashCode(), random.nextInt(200)).toString();
        return new FeedbackSubmitted(UUID.randomUUID().toString(), organization, author,
                "lecture-" + (1 + random.nextInt(8)), text, Instant.now());
    }

    @Override
    @Nullable GatewayCall viaGateway(FeedbackSubmitted event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", event.text());
        body.put("lectureId", event.lectureId());
        return new GatewayCall("/api/feedback", body, event.feedbackId());
    }
}
