package org.xanestream.processor.session;

import java.util.Objects;

import org.xanestream.processor.drift.DriftConfig;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.LiveBinnedFitter;

/**
 * Settings of the processor thread.
 *
 * @param element        element preset name (see {@link ElementPreset#knownElements()}), e.g. {@code Ni}
 * @param session        grouping of frames into energy points
 * @param drift          drift estimation and correction
 * @param mapsIntervalMs least time between two live maps snapshots of a scan, 0..3 600 000 ms (0 = after every
 *                       energy point); the final snapshot is always made
 * @param threads        row-parallel threads for per-pixel work including the processor thread, 0 = one per core,
 *                       else 1..256
 * @param pollTimeoutMs  how long the thread waits for an event before checking for stop, 1..60 000 ms
 * @param warmUpScans    synthetic scans run through the processing path at start-up so the JIT has compiled the
 *                       per-pixel kernels before the first real frame ({@link ProcessorWarmUp}), 0..100 (0 = none)
 * @param liveMapsMaxSide live maps of a scan larger than this on a side are fitted on the stack binned by the smallest
 *                       integer factor that brings both sides to at most this ({@link LiveBinnedFitter}); 0 = live maps
 *                       at full resolution; else 16..65 536. Final maps are always at full resolution.
 */
public record ProcessorConfig(String element, SessionConfig session, DriftConfig drift, long mapsIntervalMs,
                              int threads, long pollTimeoutMs, int warmUpScans, int liveMapsMaxSide) {
    /** Default warm-up: enough scans that the kernels run compiled from the first real energy point. */
    public static final int DEFAULT_WARM_UP_SCANS = 3;
    /** Default side limit of live maps (the dashboard's and the live Kafka maps' resolution). */
    public static final int DEFAULT_LIVE_MAPS_MAX_SIDE = 1024;

    public ProcessorConfig {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(drift, "drift");
        ElementPreset.of(element); // fails naming the known presets
        if (mapsIntervalMs < 0 || mapsIntervalMs > 3_600_000) {
            throw new IllegalArgumentException("processor mapsIntervalMs must be in 0..3600000, got " + mapsIntervalMs);
        }
        if (threads < 0 || threads > 256) {
            throw new IllegalArgumentException("processor threads must be 0 (one per core) or 1..256, got " + threads);
        }
        if (pollTimeoutMs < 1 || pollTimeoutMs > 60_000) {
            throw new IllegalArgumentException("processor pollTimeoutMs must be in 1..60000, got " + pollTimeoutMs);
        }
        if (warmUpScans < 0 || warmUpScans > 100) {
            throw new IllegalArgumentException("processor warmUpScans must be in 0..100, got " + warmUpScans);
        }
        if (liveMapsMaxSide != 0 && (liveMapsMaxSide < 16 || liveMapsMaxSide > 65_536)) {
            throw new IllegalArgumentException("processor liveMapsMaxSide must be 0 or 16..65536, got " + liveMapsMaxSide);
        }
    }

    /**
     * Settings with the default warm-up ({@value #DEFAULT_WARM_UP_SCANS} scans) and live maps side limit
     * ({@value #DEFAULT_LIVE_MAPS_MAX_SIDE}).
     */
    public ProcessorConfig(String element, SessionConfig session, DriftConfig drift, long mapsIntervalMs, int threads,
                           long pollTimeoutMs) {
        this(element, session, drift, mapsIntervalMs, threads, pollTimeoutMs, DEFAULT_WARM_UP_SCANS,
                DEFAULT_LIVE_MAPS_MAX_SIDE);
    }

    /**
     * Ni, default session and drift settings, live maps at most once per second, one thread per core, 100 ms poll,
     * the default warm-up.
     */
    public static ProcessorConfig defaults() {
        return new ProcessorConfig("Ni", SessionConfig.defaults(), DriftConfig.defaults(), 1000, 0, 100);
    }

    /** Threads actually used. */
    public int effectiveThreads() {
        return threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : threads;
    }

    public ProcessorConfig withSession(SessionConfig s) {
        return new ProcessorConfig(element, s, drift, mapsIntervalMs, threads, pollTimeoutMs, warmUpScans, liveMapsMaxSide);
    }

    public ProcessorConfig withDrift(DriftConfig d) {
        return new ProcessorConfig(element, session, d, mapsIntervalMs, threads, pollTimeoutMs, warmUpScans, liveMapsMaxSide);
    }

    public ProcessorConfig withMapsIntervalMs(long ms) {
        return new ProcessorConfig(element, session, drift, ms, threads, pollTimeoutMs, warmUpScans, liveMapsMaxSide);
    }

    public ProcessorConfig withThreads(int n) {
        return new ProcessorConfig(element, session, drift, mapsIntervalMs, n, pollTimeoutMs, warmUpScans, liveMapsMaxSide);
    }

    public ProcessorConfig withWarmUpScans(int n) {
        return new ProcessorConfig(element, session, drift, mapsIntervalMs, threads, pollTimeoutMs, n, liveMapsMaxSide);
    }

    public ProcessorConfig withLiveMapsMaxSide(int side) {
        return new ProcessorConfig(element, session, drift, mapsIntervalMs, threads, pollTimeoutMs, warmUpScans, side);
    }
}
