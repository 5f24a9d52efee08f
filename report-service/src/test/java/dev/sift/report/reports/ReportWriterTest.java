package dev.sift.report.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sift.ai.TextGenerator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The report writers without infrastructure: the extractive one's numbers and themes, the LLM one's parsing. */
class ReportWriterTest {

    static final Material MATERIAL = new Material(
            List.of(new Material.Question("lecture-joins", "Why does the left join return nulls?"),
                    new Material.Question("lecture-joins", "Is a left join slower than an inner join?"),
                    new Material.Question("lecture-index", "When should I add an index?")),
            List.of(new Material.Review("lecture-joins", 5, "Great examples and clear explanations."),
                    new Material.Review("lecture-joins", 4, "Clear explanations, great pacing."),
                    new Material.Review("lecture-index", 2, "Audio is quiet and the pace is too fast."),
                    new Material.Review("lecture-index", 1, "Quiet audio, too fast to follow.")));

    @Test
    void extractiveReportStatesRatingsThemesAndLectures() {
        WrittenReport report = ExtractiveReport.write(MATERIAL);

        assertThat(report.model()).isEqualTo("local-extractive");
        assertThat(report.reviewCount()).isEqualTo(4);
        assertThat(report.questionCount()).isEqualTo(3);
        assertThat(report.inputTokens()).isZero();
        // Mean 3.0 is below 3.5: the rating summary is a weakness, not a strength.
        assertThat(report.weaknesses()).contains("Average rating 3.0/5 from 4 reviews; 50% rate 4 or 5, 50% rate 1 or 2.");
        assertThat(report.strengths()).anyMatch(s -> s.startsWith("Reviews rating 4–5 most often mention:")
                && s.contains("clear") && s.contains("explanations") && s.contains("great"));
        assertThat(report.weaknesses()).anyMatch(s -> s.contains("audio") && s.contains("fast") && s.contains("quiet"));
        assertThat(report.strengths()).contains("lecture-joins has the highest average rating: 4.5/5 from 2 reviews.");
        assertThat(report.weaknesses()).contains("lecture-index has the lowest average rating: 1.5/5 from 2 reviews.");
        assertThat(report.weaknesses()).contains("A 1-star review of lecture-index: \"Quiet audio, too fast to follow.\"");
        assertThat(report.suggestions()).anyMatch(s -> s.startsWith("Students ask most about: join, left")
                && s.contains("(2 of 3 questions)"));
        assertThat(report.suggestions()).contains("lecture-joins draws the most questions (2 of 3); review where students get stuck there.");
    }

    @Test
    void extractiveReportWithoutMaterialSaysSo() {
        WrittenReport report = ExtractiveReport.write(new Material(List.of(), List.of()));
        assertThat(report.strengths()).isEmpty();
        assertThat(report.weaknesses()).isEmpty();
        assertThat(report.suggestions()).singleElement().asString().startsWith("No questions or reviews yet");
    }

    @Test
    void themesCountAWordOncePerTextAndSkipStopWords() {
        assertThat(ExtractiveReport.themes(List.of("the audio audio audio", "video quality", "video and audio")))
                .containsExactly("audio", "video");
    }

    @Test
    void modelReportIsParsedFromStructuredOutput() {
        AtomicInteger calls = new AtomicInteger();
        TextGenerator model = request -> {
            calls.incrementAndGet();
            assertThat(request.jsonSchema()).contains("\"strengths\"").contains("additionalProperties");
            assertThat(request.input()).contains("[lecture-index] 1/5: Quiet audio").contains("Questions (3)");
            return new TextGenerator.Generation("{\"strengths\": [\"Clear\"], \"weaknesses\": [\"Audio\", \" \"],"
                    + " \"suggestions\": [\"Fix the microphone\"]}", "gpt-test", 900, 40);
        };
        WrittenReport report = new ReportWriter(Optional.of(model), 800).write(MATERIAL);
        assertThat(report.strengths()).containsExactly("Clear");
        assertThat(report.weaknesses()).containsExactly("Audio");
        assertThat(report.suggestions()).containsExactly("Fix the microphone");
        assertThat(report).extracting(WrittenReport::model, WrittenReport::inputTokens, WrittenReport::outputTokens)
                .containsExactly("gpt-test", 900L, 40L);
        assertThat(calls).hasValue(1);
    }

    @Test
    void noMaterialMeansNoModelCall() {
        TextGenerator model = request -> {
            throw new AssertionError("the model must not be called without material");
        };
        assertThat(new ReportWriter(Optional.of(model), 800).write(new Material(List.of(), List.of())).model())
                .isEqualTo("local-extractive");
    }

    @Test
    void anAnswerThatIsNotTheReportIsRetryable() {
        TextGenerator model = request -> new TextGenerator.Generation("Sure! Here is the report", "gpt-test", 1, 1);
        assertThatThrownBy(() -> new ReportWriter(Optional.of(model), 800).write(MATERIAL))
                .isInstanceOf(UnusableReportException.class);
        TextGenerator partial = request -> new TextGenerator.Generation("{\"strengths\": []}", "gpt-test", 1, 1);
        assertThatThrownBy(() -> new ReportWriter(Optional.of(partial), 800).write(MATERIAL))
                .isInstanceOf(UnusableReportException.class).hasMessageContaining("weaknesses");
    }
}
