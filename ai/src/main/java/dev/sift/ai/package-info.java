/**
 * The two AI ports Sift uses — embeddings and text generation — their provider adapters, and the one layer
 * every call goes through: request/token buckets, a concurrency limit, {@code Retry-After}, timeouts and the
 * OpenTelemetry GenAI metrics.
 */
@NullMarked
package dev.sift.ai;

import org.jspecify.annotations.NullMarked;
