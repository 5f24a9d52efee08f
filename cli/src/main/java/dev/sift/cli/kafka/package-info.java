/** Kafka connection options shared by the subcommands. */
@NullMarked
package dev.sift.cli.kafka;

import org.jspecify.annotations.NullMarked;
