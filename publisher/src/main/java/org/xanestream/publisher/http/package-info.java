/**
 * Operations endpoints over HTTP (Vert.x): {@code /health} (JSON from a
 * {@link org.xanestream.publisher.http.HealthProbe}) and {@code /metrics} (Prometheus text of a Micrometer
 * registry, see {@link org.xanestream.publisher.metrics}).
 *
 * <p>In: a probe and a registry, both read-only. Out: HTTP responses. Threads: one Vert.x event loop of
 * its own; nothing here touches pipeline state except through the probe's volatile reads.
 * Vert.x is used only here and in the dashboard package.
 */
package org.xanestream.publisher.http;
