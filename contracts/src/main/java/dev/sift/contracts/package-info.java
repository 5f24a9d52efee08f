/**
 * The interface Sift's services and outside producers rely on: one record per event value, a typed
 * {@link dev.sift.contracts.Topic} per topic, and the JSON serde that writes the CloudEvents
 * binary-mode headers. Framework-free on purpose, so any JVM client can use it.
 */
@NullMarked
package dev.sift.contracts;

import org.jspecify.annotations.NullMarked;
