/** The {@code sift load} subcommands. */
@NullMarked
package dev.sift.cli.load;

import org.jspecify.annotations.NullMarked;
