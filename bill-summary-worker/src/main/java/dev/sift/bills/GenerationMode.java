package dev.sift.bills;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sift.ai.generation.mode} (docs/contracts.md): how bill summaries talk to the provider. The rest of
 * {@code sift.ai.generation.*} is the {@code ai} module's.
 */
@ConfigurationProperties("sift.ai.generation")
public record GenerationMode(@DefaultValue("background") Mode mode) {

    public enum Mode {
        /** {@code background: true}, then polling by response id; hedged. */
        BACKGROUND,
        /** One synchronous request per bill, bounded concurrency; hedged. */
        SYNC,
        /** The Batch API: half price, up to 24 h. */
        BATCH
    }
}
