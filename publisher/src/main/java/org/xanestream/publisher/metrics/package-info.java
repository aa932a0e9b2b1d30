/**
 * The process's metrics: a Micrometer Prometheus registry and the bindings of the pipeline's plain
 * statistics objects (receiver, queues, frame pool, processor results) as function counters and gauges.
 * Nothing is recorded on a hot path here: values are read when Prometheus scrapes.
 *
 * <p>In: statistics objects of the other modules (read-only). Out: meters in the registry, exposed by
 * {@link org.xanestream.publisher.http.OpsHttpServer}. {@link org.xanestream.publisher.metrics.ResultStats}
 * is written on the processor thread; everything else here is called once at start-up.
 */
package org.xanestream.publisher.metrics;
