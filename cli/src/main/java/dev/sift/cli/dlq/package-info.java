/** The {@code sift dlq} subcommands. */
@NullMarked
package dev.sift.cli.dlq;

import org.jspecify.annotations.NullMarked;
