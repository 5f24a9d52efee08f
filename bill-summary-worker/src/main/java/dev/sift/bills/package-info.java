/** Summarises received bills with the LLM (background, sync or batch mode). */
@NullMarked
package dev.sift.bills;

import org.jspecify.annotations.NullMarked;
