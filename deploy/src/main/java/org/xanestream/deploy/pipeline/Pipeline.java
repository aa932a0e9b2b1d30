package org.xanestream.deploy.pipeline;

import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xanestream.deploy.config.BuildInfo;
import org.xanestream.deploy.kafka.EmbeddedKafkaBroker;
import org.xanestream.deploy.kafka.KafkaReachability;
import org.xanestream.deploy.kafka.KafkaWarmUp;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.RejectionListener;
import org.xanestream.ingest.adzmq.AdZmqDecoder;
import org.xanestream.ingest.dectris.DectrisStreamDecoder;
import org.xanestream.ingest.zmq.ReceiverStats;
import org.xanestream.ingest.zmq.ZmqFrameReceiver;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.fit.FitBuffers;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.session.FitterFactory;
import org.xanestream.processor.session.IngestEventSource;
import org.xanestream.processor.session.ProcessorStats;
import org.xanestream.processor.session.ProcessorWarmUp;
import org.xanestream.processor.session.XanesProcessor;
import org.xanestream.publisher.hdf5.ResultFileWriter;
import org.xanestream.publisher.http.HealthReport;
import org.xanestream.publisher.http.HealthStatus;
import org.xanestream.publisher.http.OpsHttpServer;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.publisher.kafka.KafkaResultPublisher;
import org.xanestream.publisher.kafka.KafkaTopics;
import org.xanestream.publisher.metrics.PipelineMetrics;
import org.xanestream.publisher.metrics.ScanTracker;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The running processor service: ZMQ receiver → bounded queue → processor thread (incremental fits) →
 * Kafka publisher (and HDF5 result files), with the /health and /metrics server and, if configured, an
 * embedded Kafka broker.
 *
 * <pre>
 * zmq-rx thread ──Frame──▶ BoundedEventQueue ──▶ xanes-processor thread ──results──▶ ScanTracker
 *      │ rejections                                  (RowParallel workers)   ├──────▶ KafkaResultPublisher ──▶ Kafka
 *      └──────────────────────────────────────────────────────────────────┬─┴──────▶ ResultFileWriter (optional)
 *                                                                         └─ rejected topic
 * vert.x event loop: /health (reads stats), /metrics (scrapes the registry)
 * </pre>
 *
 * <p>{@link #start} brings the stages up downstream first (broker, publisher, processor, receiver, HTTP)
 * and tears down what it started if one fails. {@link #close()} is the orderly shutdown: stop receiving,
 * let the processor drain the queue and end open scans (final maps), flush result files and Kafka, then
 * stop HTTP and the broker. Thread safe: {@code close} is idempotent and may come from a shutdown hook.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** Longest wait for the processor to empty the queue at shutdown. */
    private static final long DRAIN_TIMEOUT_MS = 60_000;
    /** A counter increase within this window (drops, shed Kafka records) makes /health report degraded. */
    private static final long RECENT_MS = 60_000;

    private final PipelineSettings settings;
    private final long startMillis = System.currentTimeMillis();
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final ScanTracker scans = new ScanTracker();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object closeLock = new Object();
    private volatile boolean running;
    private volatile boolean stopping;

    private EmbeddedKafkaBroker broker;
    private String bootstrapServers;
    private KafkaReachability reachability;
    private KafkaResultPublisher publisher;
    private ResultFileWriter resultFiles;
    private RowParallel fitRows;
    private FramePool pool;
    private BoundedEventQueue queue;
    private XanesProcessor processor;
    private Thread processorThread;
    private ZmqFrameReceiver receiver;
    private OpsHttpServer http;

    // Owned by health(): recent-change detection of cumulative counters (synchronized).
    private final Map<String, long[]> lastChange = new LinkedHashMap<>();

    private Pipeline(PipelineSettings settings) {
        this.settings = settings;
    }

    /**
     * Starts every stage.
     *
     * @throws IllegalStateException (or another runtime exception) naming the stage that failed; what was
     *                               already started is stopped again
     * @throws IOException           if the result directory cannot be created
     */
    public static Pipeline start(PipelineSettings settings) throws IOException {
        Pipeline p = new Pipeline(settings);
        try {
            p.startStages();
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void startStages() throws IOException {
        KafkaPublisherConfig kafka = settings.kafka();
        if (settings.embeddedBroker() != null) {
            LOG.info("starting the embedded Kafka broker");
            broker = EmbeddedKafkaBroker.start(settings.embeddedBroker());
            started.push(broker);
            kafka = kafka.toBuilder().bootstrapServers(broker.bootstrapServers()).build();
        }
        bootstrapServers = kafka.bootstrapServers();
        reachability = KafkaReachability.start(bootstrapServers, Duration.ofSeconds(5));
        started.push(reachability);
        publisher = KafkaResultPublisher.start(kafka, metrics.registry(), Clock.systemUTC());
        started.push(publisher);

        List<ProcessorListener> listeners = new ArrayList<>();
        listeners.add(scans);
        listeners.add(publisher);
        if (settings.outputDir() != null) {
            resultFiles = new ResultFileWriter(settings.outputDir(), new ResultFileWriter.Provenance(
                    settings.fit(), BuildInfo.version()), 4);
            started.push(resultFiles);
            listeners.add(resultFiles);
        }

        pool = new FramePool(settings.framePoolBytes());
        queue = new BoundedEventQueue(settings.queue());
        fitRows = new RowParallel(settings.processor().effectiveThreads());
        started.push(fitRows);
        RowParallel rows = fitRows;
        // planes of an ended scan's fits and arrays of released live maps serve the next ones (no zeroing, no garbage)
        FitBuffers buffers = new FitBuffers(FitBuffers.DEFAULT_MAX_BYTES);
        FitterFactory fitters = scan -> new IncrementalXanesFit(settings.fit(), scan.width(), scan.height(), rows,
                buffers);
        warmUp(settings, fitters, kafka);
        processor = new XanesProcessor(settings.processor(), fitters, new ProcessorListeners(listeners),
                IngestEventSource.of(queue), System::currentTimeMillis);
        processorThread = processor.start();
        started.push(this::drainAndStopProcessor);

        RejectionListener counter = processor.rejectionCounter();
        KafkaResultPublisher pub = publisher;
        FramePool framePool = pool;
        // The decoder is named after the endpoint in use (a binding receiver learns its port when it binds).
        receiver = new ZmqFrameReceiver(settings.receiver(), endpoint -> settings.protocol().equals("dectris1")
                ? new DectrisStreamDecoder(endpoint, settings.dectris(), framePool)
                : new AdZmqDecoder(endpoint, settings.adZmq(), framePool),
                queue, (Rejection r) -> {
                    counter.onRejected(r);
                    pub.onRejected(r);
                }, Clock.systemUTC());
        started.push(receiver);
        receiver.start();

        metrics.bindReceiver(receiver.stats());
        metrics.bindProcessor(processor.stats());
        metrics.bindFramePool(pool);
        metrics.bindQueueDepth("publisher", publisher, KafkaResultPublisher::queuedEvents);
        metrics.gauge("xanestream.kafka.reachable", "1 if the Kafka cluster answered the latest check",
                Tags.empty(), reachability, r -> r.reachable() ? 1 : 0);

        http = OpsHttpServer.start(settings.http(), metrics.registry(), this::health);
        started.push(http);
        running = true;
    }

    /**
     * Runs the configured synthetic warm-up scans on the fit row pool before the processor thread starts; with the
     * embedded broker their results are also published, to temporary topics ({@link KafkaWarmUp}).
     */
    private void warmUp(PipelineSettings settings, FitterFactory fitters, KafkaPublisherConfig kafka) {
        int scans = settings.processor().warmUpScans();
        if (scans == 0) {
            return;
        }
        long t0 = System.nanoTime();
        KafkaWarmUp kafkaWarmUp = null;
        if (broker != null) {
            try {
                kafkaWarmUp = KafkaWarmUp.start(kafka);
            } catch (RuntimeException e) {
                LOG.warn("no Kafka warm-up ({}); the first records of the run meet cold Kafka code", e.getMessage());
            }
        }
        LOG.info("warming up the processing kernels ({} synthetic scans, processor.warm-up-scans){}", scans,
                kafkaWarmUp == null ? "" : " and the Kafka path (temporary topics " + KafkaWarmUp.TOPIC_PREFIX + ".*)");
        ProcessorWarmUp.Result r;
        try {
            r = kafkaWarmUp == null ? ProcessorWarmUp.run(settings.processor(), fitters, scans)
                    : ProcessorWarmUp.run(settings.processor(), fitters, scans, kafkaWarmUp.listener());
        } finally {
            if (kafkaWarmUp != null) {
                kafkaWarmUp.close();
            }
        }
        LOG.info("warm-up done in {} s ({} frames, {} energy points, {} maps snapshots)",
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9), r.frames(),
                r.energyPoints(), r.snapshots());
    }

    /** Lets the processor empty the queue (bounded wait), then stops it; it ends open scans with final maps. */
    private void drainAndStopProcessor() {
        long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        while (queue.size() > 0 && processorThread.isAlive() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (queue.size() > 0) {
            LOG.warn("{} events still queued after {} s; discarding them", queue.size(), DRAIN_TIMEOUT_MS / 1000);
        }
        processor.close();
        int left = queue.clear();
        if (left > 0) {
            LOG.warn("discarded {} queued events at shutdown", left);
        }
    }

    /** The settings it was started with. */
    public PipelineSettings settings() {
        return settings;
    }

    /** The endpoint the receiver uses (for a binding receiver, with the actual port). */
    public String receiverEndpoint() {
        return receiver.endpoint();
    }

    /** Kafka bootstrap servers in use (the embedded broker's, if it runs). */
    public String kafkaBootstrap() {
        return bootstrapServers;
    }

    /** The embedded broker, or {@code null} when publishing to an external cluster. */
    public EmbeddedKafkaBroker embeddedBroker() {
        return broker;
    }

    public KafkaTopics topics() {
        return publisher.topics();
    }

    /** Port of the /health and /metrics server. */
    public int httpPort() {
        return http.port();
    }

    public PipelineMetrics metrics() {
        return metrics;
    }

    public ReceiverStats receiverStats() {
        return receiver.stats();
    }

    public ProcessorStats processorStats() {
        return processor.stats();
    }

    /** The Kafka publisher (e.g. to wait until everything is acknowledged). */
    public KafkaResultPublisher publisher() {
        return publisher;
    }

    /**
     * The current health: failed if the receiver or processor thread died, degraded if Kafka is unreachable
     * or frames or Kafka records were dropped in the last minute. Called on the HTTP event loop: reads
     * counters only.
     */
    public synchronized HealthReport health() {
        long now = System.currentTimeMillis();
        Map<String, Integer> queues = new LinkedHashMap<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (!running) {
            return new HealthReport(stopping ? HealthStatus.STOPPING : HealthStatus.STARTING, now - startMillis,
                    false, scans.currentScan(), queues, counters, List.of());
        }
        ReceiverStats r = receiver.stats();
        ProcessorStats p = processor.stats();
        queues.put("ingest", r.queueDepth());
        queues.put("publisher", publisher.queuedEvents());
        counters.put("frames_received", r.framesReceived());
        counters.put("frames_rejected", r.rejectedTotal());
        counters.put("frames_dropped", r.dropped());
        counters.put("frame_gaps", r.gapEvents());
        counters.put("energy_points", p.energyPoints());
        counters.put("scans_ended", p.scansEnded());
        long kafkaDropped = kafkaRecords("dropped");
        long kafkaFailed = kafkaRecords("failed");
        counters.put("kafka_records_sent", kafkaRecords("sent"));
        counters.put("kafka_records_dropped", kafkaDropped);
        counters.put("kafka_records_failed", kafkaFailed);

        HealthStatus status = HealthStatus.OK;
        if (!receiver.isRunning()) {
            status = HealthStatus.FAILED;
            problems.add("the ZMQ receiver stopped" + (receiver.failure() == null ? "" : ": " + receiver.failure()));
        }
        if (!processorThread.isAlive()) {
            status = HealthStatus.FAILED;
            problems.add("the processor thread ended");
        }
        boolean kafkaUp = reachability.reachable();
        if (!kafkaUp) {
            problems.add(reachability.problem() + " (results are buffered and delivered when it returns)");
        }
        if (changedRecently("frames_dropped", r.dropped(), now)) {
            problems.add("frames were dropped in the last minute (processing falls behind; see xanestream_frames_dropped_total)");
        }
        if (changedRecently("kafka_dropped", kafkaDropped + kafkaFailed, now)) {
            problems.add("Kafka records were dropped or failed in the last minute");
        }
        if (status == HealthStatus.OK && !problems.isEmpty()) {
            status = HealthStatus.DEGRADED;
        }
        return new HealthReport(stopping ? HealthStatus.STOPPING : status, now - startMillis, kafkaUp,
                scans.currentScan(), queues, counters, problems);
    }

    /** Kafka records so far with the given outcome ({@code sent}, {@code dropped}, {@code failed}, ...), all topics. */
    public long kafkaRecords(String outcome) {
        return KafkaResultPublisher.records(metrics.registry(), outcome);
    }

    /** Whether a cumulative counter rose within {@link #RECENT_MS}. */
    private boolean changedRecently(String name, long value, long now) {
        long[] last = lastChange.computeIfAbsent(name, k -> new long[]{value, Long.MIN_VALUE});
        if (value != last[0]) {
            last[0] = value;
            last[1] = now;
        }
        return last[1] != Long.MIN_VALUE && now - last[1] < RECENT_MS;
    }

    /**
     * Waits until the pipeline is closed.
     *
     * @return whether it is closed
     */
    public boolean awaitClosed(long timeoutMillis) throws InterruptedException {
        return closed.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Whether a stage died while running (the receive or the processor thread): the process should exit. */
    public boolean failed() {
        return running && !stopping && (!receiver.isRunning() || !processorThread.isAlive());
    }

    /** Orderly shutdown (see the class comment). Idempotent; blocks until done. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed.getCount() == 0) {
                return;
            }
            stopping = true;
            if (running) {
                LOG.info("shutting down: stop receiving, drain the processor, flush results");
            }
            // Stop order is the reverse of start, except that HTTP stays up until the end.
            List<AutoCloseable> order = new ArrayList<>(started);
            if (http != null) {
                order.remove(http);
                order.add(order.size() - (broker != null ? 1 : 0), http);
            }
            for (AutoCloseable c : order) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("error while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
                }
            }
            metrics.close();
            running = false;
            closed.countDown();
        }
    }
}
