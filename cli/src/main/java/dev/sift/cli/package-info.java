/** The {@code sift} command line: one class per subcommand, one place mapping failures to exit codes. */
@NullMarked
package dev.sift.cli;

import org.jspecify.annotations.NullMarked;
