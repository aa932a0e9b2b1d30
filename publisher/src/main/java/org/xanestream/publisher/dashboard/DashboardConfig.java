package org.xanestream.publisher.dashboard;

/**
 * Configuration of the live dashboard: where it listens and how much it keeps.
 *
 * <p>Memory bound of the kept pixel state: maps take at most
 * {@code scansWithMaps × maxMapsPerScan × mapPixelLimit × 12 B} (the shown version as float32 plus one
 * version being assembled as float sums and int counts); images take at most
 * {@code scansWithImages × (maxEnergiesPerScan × 4 B + 4 × 8 B) × imagePixelLimit} (at most four
 * energies assemble at once). With the defaults that is ≤ 576 MiB + 300 MiB, and for a usual scan
 * (~15 maps, ~150 energies) ≈ 2 × 15 × 4 MiB = 120 MiB + 2 × 150 × 256 KiB = 75 MiB. Larger published
 * maps or images are block-averaged down to the limit when stored (the dashboard shows the factor).
 * Older scans keep only their records (progress, points, summaries).
 *
 * <p>Per browser: nothing is queued beyond what the WebSocket holds; the server writes only while
 * {@code writeQueueFull()} is false, so each client buffers at most {@code wsWriteQueueBytes} plus one
 * message (a map message is ≤ {@code displayPixelLimit × 5 B} + a small header).
 *
 * @param httpHost           interface to bind; {@code 127.0.0.1} by default (use {@code 0.0.0.0} to expose)
 * @param httpPort           port, 0 = any free port
 * @param maxScans           scans remembered at all (oldest forgotten first), 1–10000
 * @param scansWithMaps      most recent scans whose map pixels are kept, 1–maxScans
 * @param scansWithImages    most recent scans whose per-energy images are kept, 0–maxScans
 * @param maxMapsPerScan     map names kept per scan, 1–256
 * @param maxEnergiesPerScan energy points kept per scan, 1–100000
 * @param mapPixelLimit      stored pixels per map, 4096–64 Mi
 * @param imagePixelLimit    stored pixels per energy image (spectra of clicked pixels), 256–16 Mi
 * @param displayPixelLimit  pixels of a map sent to a browser, 4096–16 Mi
 * @param wsWriteQueueBytes  WebSocket write queue high-water mark per client, 4 Ki–64 Mi
 * @param pushIntervalMs     how often pending updates are pushed (coalescing period), 10–5000 ms
 * @param staleAfterMs       an open scan with no record for this long is shown as stale, 1000–3600000 ms
 * @param socketSendBufferBytes TCP send buffer of accepted connections, 0 = operating system default
 */
public record DashboardConfig(String httpHost, int httpPort, int maxScans, int scansWithMaps, int scansWithImages,
                              int maxMapsPerScan, int maxEnergiesPerScan, int mapPixelLimit, int imagePixelLimit,
                              int displayPixelLimit, int wsWriteQueueBytes, long pushIntervalMs, long staleAfterMs,
                              int socketSendBufferBytes) {
    public DashboardConfig {
        if (httpHost == null || httpHost.isBlank()) {
            throw new IllegalArgumentException("httpHost must be an interface address, got '" + httpHost + "'");
        }
        check("httpPort", httpPort, 0, 65535);
        check("maxScans", maxScans, 1, 10_000);
        check("scansWithMaps", scansWithMaps, 1, maxScans);
        check("scansWithImages", scansWithImages, 0, maxScans);
        check("maxMapsPerScan", maxMapsPerScan, 1, 256);
        check("maxEnergiesPerScan", maxEnergiesPerScan, 1, 100_000);
        check("mapPixelLimit", mapPixelLimit, 4096, 64 << 20);
        check("imagePixelLimit", imagePixelLimit, 256, 16 << 20);
        check("displayPixelLimit", displayPixelLimit, 4096, 16 << 20);
        check("wsWriteQueueBytes", wsWriteQueueBytes, 4096, 64 << 20);
        check("pushIntervalMs", pushIntervalMs, 10, 5000);
        check("staleAfterMs", staleAfterMs, 1000, 3_600_000);
        check("socketSendBufferBytes", socketSendBufferBytes, 0, 64 << 20);
    }

    private static void check(String name, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be in " + lo + ".." + hi + ", got " + v);
        }
    }

    /**
     * 127.0.0.1:8080; 50 scans, maps of the latest 2 (≤ 1024×1024 stored), images of the latest 2
     * (≤ 256×256 stored, 600 energies), 512×512 to the browser, 1 MiB WebSocket queue, 100 ms pushes,
     * stale after 30 s.
     */
    public static DashboardConfig defaults() {
        return new DashboardConfig("127.0.0.1", 8080, 50, 2, 2, 24, 600, 1024 * 1024, 256 * 256,
                512 * 512, 1 << 20, 100, 30_000, 0);
    }

    public DashboardConfig withHttp(String host, int port) {
        return new DashboardConfig(host, port, maxScans, scansWithMaps, scansWithImages, maxMapsPerScan,
                maxEnergiesPerScan, mapPixelLimit, imagePixelLimit, displayPixelLimit, wsWriteQueueBytes,
                pushIntervalMs, staleAfterMs, socketSendBufferBytes);
    }

    public DashboardConfig withWebSocketBuffers(int writeQueueBytes, int sendBufferBytes) {
        return new DashboardConfig(httpHost, httpPort, maxScans, scansWithMaps, scansWithImages, maxMapsPerScan,
                maxEnergiesPerScan, mapPixelLimit, imagePixelLimit, displayPixelLimit, writeQueueBytes,
                pushIntervalMs, staleAfterMs, sendBufferBytes);
    }

    public DashboardConfig withPixelLimits(int mapPixels, int imagePixels, int displayPixels) {
        return new DashboardConfig(httpHost, httpPort, maxScans, scansWithMaps, scansWithImages, maxMapsPerScan,
                maxEnergiesPerScan, mapPixels, imagePixels, displayPixels, wsWriteQueueBytes,
                pushIntervalMs, staleAfterMs, socketSendBufferBytes);
    }
}
