package org.xanestream.publisher.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.xanestream.ingest.FramePool;

import java.util.function.ToDoubleFunction;

/**
 * The process's Micrometer registry (Prometheus flavour) and the bindings of the pipeline's own
 * statistics objects to it. The other modules keep plain counters (atomics read through getters) and
 * know nothing of Micrometer; this class turns them into function counters and gauges, read only when
 * Prometheus scrapes.
 *
 * <p>Prometheus names (Micrometer appends {@code _total} to counters and the base unit to timers):
 * {@code xanestream_energy_points_total}, {@code xanestream_drift_px{axis}},
 * {@code xanestream_queue_depth{stage}}, {@code xanestream_frame_pool_*}, ... — see
 * {@code docs/deployment.md} for the full list. JVM memory, GC, thread and CPU metrics are included.
 *
 * <p>Bind methods are called once at start-up from one thread; the registry itself is thread safe.
 */
public final class PipelineMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public PipelineMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The registry to expose on {@code /metrics} and to hand to modules that record their own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts of the processor's results, the latest drift and the current scan. */
    public void bindProcessor(ResultStats p) {
        counter("xanestream.energy.points", "energy points completed (normalized, aligned and fitted)", p,
                ResultStats::energyPoints);
        counter("xanestream.scans.started", "scans started", p, ResultStats::scansStarted);
        counter("xanestream.scans.ended", "scans ended", p, ResultStats::scansEnded);
        counter("xanestream.drift.replaced", "drift estimates flagged implausible and replaced", p,
                ResultStats::driftReplaced);
        FunctionCounter.builder("xanestream.maps.snapshots", p, m -> m.liveMapSnapshots())
                .description("map snapshots computed").tag("kind", "live").register(registry);
        FunctionCounter.builder("xanestream.maps.snapshots", p, m -> m.finalMapSnapshots())
                .description("map snapshots computed").tag("kind", "final").register(registry);
        Gauge.builder("xanestream.drift.px", p, m -> m.driftXPx()).strongReference(true)
                .description("measured sample displacement of the latest energy point, pixels (+x = columns, +y = rows)")
                .tag("axis", "x").register(registry);
        Gauge.builder("xanestream.drift.px", p, m -> m.driftYPx()).strongReference(true)
                .description("measured sample displacement of the latest energy point, pixels (+x = columns, +y = rows)")
                .tag("axis", "y").register(registry);
        Gauge.builder("xanestream.drift.confidence", p, m -> m.driftConfidence()).strongReference(true)
                .description("confidence (0-1) of the latest drift estimate").register(registry);
    }

    /** Memory and waits of the frame buffer pool. */
    public void bindFramePool(FramePool pool) {
        Gauge.builder("xanestream.frame.pool.allocated", pool, FramePool::allocatedBytes).strongReference(true)
                .baseUnit("bytes").description("bytes of pooled frame buffers allocated (free and in use)").register(registry);
        Gauge.builder("xanestream.frame.pool.budget", pool, FramePool::budgetBytes).strongReference(true)
                .baseUnit("bytes").description("frame pool budget (ingest.frame-pool-bytes)").register(registry);
        counter("xanestream.frame.pool.waits", "frame buffer requests that had to wait for a release (processing behind)",
                pool, FramePool::waits);
        counter("xanestream.frame.pool.allocations", "frame buffers allocated (constant in steady state)",
                pool, FramePool::allocations);
    }

    /** Events waiting between two stages. */
    public <T> void bindQueueDepth(String stage, T queue, ToDoubleFunction<T> depth) {
        Gauge.builder("xanestream.queue.depth", queue, depth).strongReference(true)
                .description("events waiting in the queue in front of a stage").tag("stage", stage).register(registry);
    }

    /** A cumulative count read from a statistics object when scraped. */
    public <T> void counter(String name, String description, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, source, count).description(description).register(registry);
    }

    /** A counter with one tag. */
    public <T> void counter(String name, String description, String tag, String value, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, source, count).description(description).tag(tag, value).register(registry);
    }

    /** A value read from a statistics object when scraped. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).strongReference(true).description(description).register(registry);
    }

    /** The registry as a plain {@link MeterRegistry}. */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
