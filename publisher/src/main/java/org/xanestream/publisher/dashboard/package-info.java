/**
 * The live web dashboard (Vert.x): a model of the result stream and a server that shows it.
 *
 * <pre>
 * result source thread (Kafka consumer) ──ResultListener──▶ DashboardState  (one lock; bands reassembled
 *                                                             │              per (scan, map) by version,
 *                                                             │              images binned and bounded)
 *            push timer / WebSocket drain (one event loop) ◀──┘ polls revision(), takes immutable MapViews
 *                 │  latest-wins: writes only while writeQueueFull() is false, nothing queued per browser
 *                 ▼
 *            browsers (index.html + app.js: canvas map, colorbar, histogram, spectra, drift, series)
 *            HTTP clients (PNG / raw float32 maps, scan JSON, region spectra)
 *            worker pool: map renders (block means, stats, histogram), PNG encoding, spectra
 * </pre>
 *
 * <p>In: {@link org.xanestream.publisher.results} events. Out: HTTP and WebSocket on the configured
 * interface (127.0.0.1 by default). Memory and per-browser bounds: {@link
 * org.xanestream.publisher.dashboard.DashboardConfig}.
 */
package org.xanestream.publisher.dashboard;
