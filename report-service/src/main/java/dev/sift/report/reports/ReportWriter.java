package dev.sift.report.reports;

import dev.sift.ai.TextGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a report from questions and reviews: with a language model when one is configured (one Responses
 * request with a strict JSON Schema for strengths, weaknesses and suggestions), else {@link ExtractiveReport}.
 * No material means no model call: there is nothing to pay for.
 */
class ReportWriter {

    static final String SCHEMA_NAME = "instructor_report";
    static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "strengths": {"type": "array", "items": {"type": "string"}},
               "weaknesses": {"type": "array", "items": {"type": "string"}},
               "suggestions": {"type": "array", "items": {"type": "string"}}},
             "required": ["strengths", "weaknesses", "suggestions"],
             "additionalProperties": false}""";
    static final String INSTRUCTIONS = """
            You review an online instructor's teaching from their students' questions and reviews. Write in the \
            language most of the material is in. Give 2-5 strengths, 2-5 weaknesses and 2-5 concrete, actionable \
            suggestions, each one sentence, grounded only in the material (name the lecture when it matters). \
            Do not invent facts. Answer with the JSON object only.""";
    /** One question or review longer than this is cut: a report needs the gist, not the essay. */
    static final int MAX_ITEM_CHARS = 600;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Optional<TextGenerator> generator;
    private final int maxOutputTokens;

    ReportWriter(Optional<TextGenerator> generator, int maxOutputTokens) {
        this.generator = generator;
        this.maxOutputTokens = maxOutputTokens;
    }

    WrittenReport write(Material material) {
        if (generator.isEmpty() || material.isEmpty()) {
            return ExtractiveReport.write(material);
        }
        TextGenerator.Generation generation = generator.get().generate(new TextGenerator.GenerationRequest(
                INSTRUCTIONS, input(material), SCHEMA_NAME, SCHEMA, maxOutputTokens));
        JsonNode report;
        try {
            report = JSON.readTree(generation.text());
        } catch (JacksonException e) {
            throw new UnusableReportException("the model's answer is not JSON: " + e.getOriginalMessage());
        }
        return new WrittenReport(strings(report, "strengths"), strings(report, "weaknesses"),
                strings(report, "suggestions"), generation.model(), generation.inputTokens(), generation.outputTokens(),
                material.questions().size(), material.reviews().size());
    }

    static String input(Material material) {
        StringBuilder input = new StringBuilder();
        double mean = material.reviews().stream().mapToInt(Material.Review::rating).average().orElse(0);
        input.append("Reviews (").append(material.reviews().size()).append(material.reviews().isEmpty() ? ""
                : ", average rating %.2f/5".formatted(mean)).append("):\n");
        for (Material.Review review : material.reviews()) {
            input.append("- [").append(review.lectureId()).append("] ").append(review.rating()).append("/5: ")
                    .append(cut(review.text())).append('\n');
        }
        input.append("\nQuestions (").append(material.questions().size()).append("):\n");
        for (Material.Question question : material.questions()) {
            input.append("- [").append(question.lectureId()).append("] ").append(cut(question.text())).append('\n');
        }
        return input.toString();
    }

    private static String cut(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= MAX_ITEM_CHARS ? flat : flat.substring(0, MAX_ITEM_CHARS) + "…";
    }

    private static List<String> strings(JsonNode report, String field) {
        JsonNode items = report.path(field);
        if (!items.isArray()) {
            throw new UnusableReportException("the model's answer has no array '" + field + "'");
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.isString() && !item.asString().isBlank()) {
                strings.add(item.asString().strip());
            }
        }
        return strings;
    }
}
