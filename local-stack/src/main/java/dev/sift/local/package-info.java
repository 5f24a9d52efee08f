/** The local stack: Sift on one machine with nothing but a JDK and Postgres. */
@NullMarked
package dev.sift.local;

import org.jspecify.annotations.NullMarked;
