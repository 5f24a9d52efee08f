package dev.sift.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/** An event value on a Sift topic. The time becomes the CloudEvents {@code ce_time} header. */
public interface SiftEvent {

    /** When the fact the event records happened. */
    @JsonIgnore
    Instant eventTime();
}
