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
import io.micrometer.core.instrument.Tags;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.zmq.ReceiverStats;
import org.xanestream.processor.session.ProcessorStats;

import java.util.function.ToDoubleFunction;

/**
 * The process's Micrometer registry (Prometheus flavour) and the bindings of the pipeline's own
 * statistics objects to it. The other modules keep plain counters (atomics read through getters) and
 * know nothing of Micrometer; this class turns them into function counters and gauges, read only when
 * Prometheus scrapes.
 *
 * <p>Prometheus names (Micrometer appends {@code _total} to counters and the base unit to timers and
 * gauges with a unit): {@code xanestream_frames_received_total}, {@code xanestream_frames_rejected_total{reason}},
 * {@code xanestream_frame_gaps_total}, {@code xanestream_energy_points_total}, {@code xanestream_drift_px{axis}},
 * {@code xanestream_queue_depth{stage}}, {@code xanestream_frame_pool_*}, ... — {@code docs/deployment.md}
 * lists them all. JVM memory, GC, thread and CPU metrics are included.
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

    /**
     * The receiver's counters: frames received, rejected per reason, frame-number gaps, drops, back-pressure,
     * and the depth of the queue it feeds ({@code stage="ingest"}).
     */
    public void bindReceiver(ReceiverStats r) {
        Tags endpoint = Tags.of("endpoint", r.endpoint());
        function("xanestream.frames.received", "valid frames accepted (rejects and end-of-scan messages excluded)",
                endpoint, r, ReceiverStats::framesReceived);
        for (RejectReason reason : RejectReason.values()) {
            function("xanestream.frames.rejected", "messages rejected, by reason (docs/kafka-topics.md vocabulary)",
                    endpoint.and("reason", reason.code()), r, s -> s.rejected(reason));
        }
        function("xanestream.frame.gaps", "forward jumps in the sender's frame numbers (frames lost upstream)",
                endpoint, r, ReceiverStats::gapEvents);
        function("xanestream.frames.missing", "frames skipped by all frame-number gaps", endpoint, r, ReceiverStats::missingFrames);
        function("xanestream.frames.repeated", "frames whose number repeated the previous one", endpoint, r, ReceiverStats::repeats);
        function("xanestream.frames.out.of.order", "frames whose number went backwards", endpoint, r, ReceiverStats::outOfOrder);
        function("xanestream.frames.dropped", "frames dropped by the ingest queue (ingest.queue-full drop-oldest)",
                endpoint, r, ReceiverStats::dropped);
        function("xanestream.receiver.blocked", "times the receiver waited for queue space (back-pressure to the sender)",
                endpoint, r, ReceiverStats::blockedPuts);
        function("xanestream.receiver.messages", "ZeroMQ messages received, valid or not", endpoint, r, ReceiverStats::messagesReceived);
        FunctionCounter.builder("xanestream.receiver", r, ReceiverStats::bytesReceived).baseUnit("bytes")
                .description("bytes received over ZeroMQ").tags(endpoint).register(registry);
        function("xanestream.receiver.end.of.scan", "end-of-scan messages received", endpoint, r, ReceiverStats::endOfScans);
        function("xanestream.receiver.decoder.errors", "unexpected decoder failures (bugs; logged, message skipped)",
                endpoint, r, ReceiverStats::decoderErrors);
        bindQueueDepth("ingest", r, ReceiverStats::queueDepth);
        Gauge.builder("xanestream.queue.capacity", r, ReceiverStats::queueCapacity).strongReference(true)
                .description("capacity of the queue in front of a stage").tag("stage", "ingest").register(registry);
    }

    /**
     * The processor thread's counters: energy points, frames by kind, drift, flats, errors, and how long the
     * last energy update and maps snapshot took.
     */
    public void bindProcessor(ProcessorStats p) {
        function("xanestream.energy.points", "energy points completed (normalized, aligned, fitted)", Tags.empty(), p,
                ProcessorStats::energyPoints);
        function("xanestream.processor.frames", "frames accumulated, by kind", Tags.of("kind", "dark"), p, ProcessorStats::darkFrames);
        function("xanestream.processor.frames", "frames accumulated, by kind", Tags.of("kind", "flat"), p, ProcessorStats::flatFrames);
        function("xanestream.processor.frames", "frames accumulated, by kind", Tags.of("kind", "sample"), p, ProcessorStats::sampleFrames);
        function("xanestream.processor.frames", "frames accumulated, by kind", Tags.of("kind", "transmission"), p,
                ProcessorStats::transmissionFrames);
        function("xanestream.processor.frames.refused", "frames refused by the processor (size differs from the open scan's)",
                Tags.empty(), p, ProcessorStats::framesRejected);
        function("xanestream.energy.points.dropped", "energy points dropped because no flat was available", Tags.empty(), p,
                ProcessorStats::pointsWithoutFlat);
        function("xanestream.energy.points.borrowed.flat", "energy points normalized with the flat of another energy",
                Tags.empty(), p, ProcessorStats::borrowedFlats);
        function("xanestream.energy.points.without.dark", "energy points normalized before any dark frame (dark = 0)",
                Tags.empty(), p, ProcessorStats::pointsWithoutDark);
        function("xanestream.scans.started", "scans started", Tags.empty(), p, ProcessorStats::scansStarted);
        function("xanestream.scans.ended", "scans ended", Tags.empty(), p, ProcessorStats::scansEnded);
        function("xanestream.drift.estimates", "drift estimates made", Tags.empty(), p, ProcessorStats::driftEstimates);
        function("xanestream.drift.replaced", "drift estimates flagged implausible and replaced", Tags.empty(), p,
                ProcessorStats::driftReplaced);
        function("xanestream.maps.snapshots", "maps snapshots computed (live and final)", Tags.empty(), p,
                ProcessorStats::mapsSnapshots);
        function("xanestream.processor.errors", "events whose processing failed (logged; the stream went on)", Tags.empty(), p,
                ProcessorStats::processingErrors);
        function("xanestream.processor.listener.errors", "result listener calls that failed", Tags.empty(), p,
                ProcessorStats::listenerErrors);
        String driftHelp = "measured sample displacement of the latest energy point, pixels (+x = columns, +y = rows)";
        Gauge.builder("xanestream.drift.px", p, ProcessorStats::lastDriftXPx).strongReference(true)
                .description(driftHelp).tag("axis", "x").register(registry);
        Gauge.builder("xanestream.drift.px", p, ProcessorStats::lastDriftYPx).strongReference(true)
                .description(driftHelp).tag("axis", "y").register(registry);
        Gauge.builder("xanestream.drift.confidence", p, ProcessorStats::lastDriftConfidence).strongReference(true)
                .description("confidence (0-1) of the latest drift estimate").register(registry);
        Gauge.builder("xanestream.energy.update.last", p, s -> s.lastEnergyUpdateNanos() / 1e9).strongReference(true)
                .baseUnit("seconds").description("processing time of the latest energy point (normalize, drift, stack, fit)")
                .register(registry);
        Gauge.builder("xanestream.maps.snapshot.last", p, s -> s.lastSnapshotNanos() / 1e9).strongReference(true)
                .baseUnit("seconds").description("time to compute the latest maps snapshot").register(registry);
    }

    /** Memory and waits of the frame buffer pool. */
    public void bindFramePool(FramePool pool) {
        Gauge.builder("xanestream.frame.pool.allocated", pool, FramePool::allocatedBytes).strongReference(true)
                .baseUnit("bytes").description("bytes of pooled frame buffers allocated (free and in use)").register(registry);
        Gauge.builder("xanestream.frame.pool.budget", pool, FramePool::budgetBytes).strongReference(true)
                .baseUnit("bytes").description("frame pool budget (ingest.frame-pool-bytes)").register(registry);
        function("xanestream.frame.pool.waits", "frame buffer requests that had to wait for a release (processing behind)",
                Tags.empty(), pool, FramePool::waits);
        function("xanestream.frame.pool.allocations", "frame buffers allocated (constant in steady state)",
                Tags.empty(), pool, FramePool::allocations);
    }

    /** Events waiting between two stages. */
    public <T> void bindQueueDepth(String stage, T queue, ToDoubleFunction<T> depth) {
        Gauge.builder("xanestream.queue.depth", queue, depth).strongReference(true)
                .description("events waiting in the queue in front of a stage").tag("stage", stage).register(registry);
    }

    /** A cumulative count read from a statistics object when scraped. */
    public <T> void function(String name, String description, Tags tags, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, source, count).description(description).tags(tags).register(registry);
    }

    /** A value read from a statistics object when scraped. */
    public <T> void gauge(String name, String description, Tags tags, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).strongReference(true).description(description).tags(tags).register(registry);
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
