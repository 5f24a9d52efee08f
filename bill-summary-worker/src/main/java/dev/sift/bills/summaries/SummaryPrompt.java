package dev.sift.bills.summaries;

import dev.sift.ai.TextGenerator.GenerationRequest;
import dev.sift.contracts.bill.BillReceived;

/** The request for one bill: seed 002's instructions (three paragraphs, plain text, polite, no title). */
public final class SummaryPrompt {

    static final String INSTRUCTIONS = """
            Summarise the given bill briefly, in three paragraphs.
            Do not number anything. Plain text only, no Markdown.
            Use a polite register. Do not add a title.
            Write in the language of the bill.""";

    private SummaryPrompt() {
    }

    public static GenerationRequest of(BillReceived bill, int maxOutputTokens) {
        String input = bill.title() + "\n" + bill.proposer() + " · " + bill.committee() + " · " + bill.proposedAt()
                + "\n\n" + bill.body();
        return new GenerationRequest(INSTRUCTIONS, input, "", "", maxOutputTokens);
    }
}
