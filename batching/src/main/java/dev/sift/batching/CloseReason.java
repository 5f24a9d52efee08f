package dev.sift.batching;

/** Why a batch closed: it reached {@code maxItems}, or its oldest record reached {@code maxWait}. */
public enum CloseReason { COUNT, TIME }
