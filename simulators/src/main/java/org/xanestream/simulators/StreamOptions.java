package org.xanestream.simulators;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;

/**
 * How a run reports and stamps its frames (the physics is in {@link SimulatorConfig}).
 *
 * @param progress          where progress lines go (typically {@code System.err}); {@code null} = silent
 * @param progressIntervalS seconds between progress lines (> 0)
 * @param clock             wall clock: the series starts at its current time, frame timestamps are that
 *                          start plus the simulated acquisition time; pacing uses {@link System#nanoTime()}
 */
public record StreamOptions(PrintStream progress, double progressIntervalS, Clock clock) {
    public StreamOptions {
        if (!(progressIntervalS > 0) || !Double.isFinite(progressIntervalS)) {
            throw new IllegalArgumentException("progressIntervalS must be > 0, got " + progressIntervalS);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** Progress to stderr every 3 s, system clock. */
    public static StreamOptions defaults() {
        return new StreamOptions(System.err, 3.0, Clock.systemUTC());
    }

    /** No progress output, the given clock (tests). */
    public static StreamOptions quiet(Clock clock) {
        return new StreamOptions(null, 3.0, clock);
    }
}
