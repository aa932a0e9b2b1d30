package org.xanestream.deploy;

import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * The progress options shared by {@code simulate} and {@code replay} (a picocli mixin): how often a
 * progress line goes to stderr, or none at all.
 */
final class ProgressOptions {
    @Option(names = "--progress-s", paramLabel = "S", defaultValue = "3",
            description = "Seconds between progress lines on stderr. Default: ${DEFAULT-VALUE}.")
    double progressS;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    /** Where progress goes: stderr, or {@code null} with {@code --quiet}. */
    PrintStream log() {
        return quiet ? null : System.err;
    }
}
