package dev.sift.ai;

/** Asks a language model for a text, optionally constrained to a JSON Schema (structured output). */
public interface TextGenerator {

    Generation generate(GenerationRequest request);

    /**
     * @param instructions the system-level task description
     * @param input the material to work on
     * @param schemaName name of the output format; {@code jsonSchema} the schema, or empty for free text
     */
    record GenerationRequest(String instructions, String input, String schemaName, String jsonSchema,
            int maxOutputTokens) {
    }

    /** The model's text (JSON when a schema was given) and what it cost. */
    record Generation(String text, String model, long inputTokens, long outputTokens) {
    }
}
