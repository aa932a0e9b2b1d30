package org.xanestream.publisher.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.RejectionListener;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.ImageBinning;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;
import org.xanestream.publisher.kafka.PublishEvent.MapsUpdated;
import org.xanestream.publisher.kafka.PublishEvent.MessageRejected;
import org.xanestream.publisher.kafka.PublishEvent.PointCompleted;
import org.xanestream.publisher.kafka.PublishEvent.ScanEnded;
import org.xanestream.publisher.kafka.PublishEvent.ScanStarted;

/**
 * Publishes the processor's results and the receivers' rejections to the Kafka topics of
 * docs/kafka-topics.md ({@code <prefix>.scans|points|images|maps|rejected}).
 *
 * <p>Threads: the listener methods are called on the processor and receive threads; each only hands an
 * event to a bounded {@link HandOffQueue} and returns — it never waits for Kafka (a full queue sheds load by a
 * documented policy, counted in {@code xanestream_kafka_records_total{outcome="dropped"}} and logged). One
 * publisher thread ({@code xanestream-kafka-publisher}) creates missing topics, encodes records (JSON, row
 * bands, binning), applies the live rate limits and hands records to an idempotent producer; the producer's
 * I/O thread runs the acknowledgement callbacks (counters, latency timer). If the broker is down or slow, the
 * publisher thread waits for acknowledgements once {@code maxInFlightBytes} are outstanding while events keep
 * queueing; the producer retries for {@code deliveryTimeoutMs}, so a broker outage delays records but does not
 * lose or duplicate them.
 *
 * <p>Allocation: the caller threads allocate one small event per call; record values are allocated on the
 * publisher thread (Kafka keeps them until sent).
 *
 * <p>Metrics: {@code xanestream.kafka.records{topic,outcome}} (Prometheus
 * {@code xanestream_kafka_records_total}; outcomes {@code sent}, {@code failed}, {@code dropped},
 * {@code superseded}), the timer {@code xanestream.energy.point} (Prometheus
 * {@code xanestream_energy_point_seconds}: energy point handed over → the first maps publication that includes
 * it fully acknowledged; for a point that changes no live map, the publication that already holds those maps),
 * and gauges {@code xanestream.kafka.queue.events}, {@code xanestream.kafka.queue.bytes},
 * {@code xanestream.kafka.inflight.bytes}; and the producer's own metrics ({@code kafka.producer.*}, Prometheus
 * {@code kafka_producer_*}: retries, errors, batch splits, request latency…) while the publisher is open.
 */
public final class KafkaResultPublisher implements ProcessorListener, RejectionListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaResultPublisher.class);

    /** Producer {@code batch.size}: one pooled buffer holds the largest record (see producerProperties). */
    static final int BATCH_BYTES = 1024 * 1024;
    /** {@code max.message.bytes} of the images and maps topics this publisher creates. */
    static final int BINARY_TOPIC_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
    private static final int T_SCANS = 0;
    private static final int T_POINTS = 1;
    private static final int T_IMAGES = 2;
    private static final int T_MAPS = 3;
    private static final int T_REJECTED = 4;
    private static final String[] OUTCOMES = {"sent", "failed", "dropped", "superseded"};
    private static final int O_SENT = 0;
    private static final int O_FAILED = 1;
    private static final int O_DROPPED = 2;
    private static final int O_SUPERSEDED = 3;
    /** Budget added per record for key, headers and batch overhead when counting bytes in flight. */
    private static final int RECORD_OVERHEAD_BYTES = 512;
    /** Longest the publisher thread sleeps between looks at its timers (it also wakes on every event). */
    private static final long MAX_TICK_MILLIS = 50;
    /** In-flight bytes up to which a scan's final maps are handed to the producer (see publishFinal). */
    static final long FINAL_AHEAD_BYTES = 8L * 1024 * 1024;
    private static final long FINAL_TICK_MILLIS = 5;
    private static final long FINAL_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final byte[] SCHEMA = Integer.toString(KafkaTopics.CONTRACT_VERSION).getBytes(StandardCharsets.UTF_8);
    private static final byte[] FLOAT32 = KafkaTopics.DTYPE_FLOAT32.getBytes(StandardCharsets.UTF_8);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.UTF_8);

    private final KafkaPublisherConfig config;
    private final KafkaTopics topics;
    private final String[] topicNames;
    private final Clock clock;
    private final Producer<byte[], byte[]> producer;
    /** The producer's own metrics ({@code kafka_producer_*}: batch splits, retries, request latency…). */
    private final KafkaClientMetrics producerMetrics;
    private final Admin admin;
    private final HandOffQueue queue;
    private final Thread thread;
    private final Counter[][] records;
    private final Timer pointLatency;
    private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10_000);
    private final RateLimitedLog failLog = new RateLimitedLog(LOG, 10_000);
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean closing;
    private volatile boolean abort;
    /** Written by the publisher thread: it owes work beyond the queue (rate-limited maps, images, scan ends). */
    private volatile boolean pendingWork;

    // Owned by the publisher thread.
    private final JsonRecords json = new JsonRecords();
    private final Map<String, ScanState> scans = new LinkedHashMap<>();
    private float[] binScratch = new float[0];
    private double[] sumScratch = new double[0];
    private int[] countScratch = new int[0];
    private final Map<Integer, Integer> partitionCounts = new HashMap<>();
    /**
     * Partitions whose first record was acknowledged. Until then a partition gets one record at a time (the first;
     * the others wait in {@link #priming}), which avoids a Kafka defect (KAFKA-15591): with several requests in
     * flight to a just-created partition, a first request refused with NOT_LEADER_OR_FOLLOWER (partition not yet
     * applied on the broker) can be overtaken by a later one, after which the idempotent producer retries the first
     * until its delivery timeout and loses it. The publisher thread does not wait for that acknowledgement: other
     * partitions and events go on (a first publication used to wait for each of its partitions in turn).
     */
    private final Set<String> primed = new HashSet<>();
    /** Per partition with its first record in flight: the records waiting for its acknowledgement. */
    private final Map<String, Priming> priming = new HashMap<>();

    /**
     * Creates the producer and admin clients and starts the publisher thread. Returns at once: topic creation
     * and connection happen on the publisher thread (a broker that is down does not delay the caller).
     *
     * @param registry receives the metrics listed in the class comment
     * @param clock    wall clock for record times, rate limits and progress intervals
     */
    public static KafkaResultPublisher start(KafkaPublisherConfig config, MeterRegistry registry, Clock clock) {
        Objects.requireNonNull(config, "config");
        Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(config),
                new ByteArraySerializer(), new ByteArraySerializer());
        Admin admin = null;
        try {
            admin = config.createTopics() ? Admin.create(adminProperties(config)) : null;
            return new KafkaResultPublisher(config, registry, clock, producer, admin);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            throw e;
        }
    }

    /** For tests: publishes through the given producer; {@code admin} (nullable) creates topics if configured. */
    KafkaResultPublisher(KafkaPublisherConfig config, MeterRegistry registry, Clock clock,
                         Producer<byte[], byte[]> producer, Admin admin) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.admin = admin;
        Objects.requireNonNull(registry, "registry");
        this.topics = config.topics();
        this.topicNames = new String[]{topics.scans(), topics.points(), topics.images(), topics.maps(),
                topics.rejected()};
        this.records = new Counter[topicNames.length][OUTCOMES.length];
        for (int t = 0; t < topicNames.length; t++) {
            for (int o = 0; o < OUTCOMES.length; o++) {
                records[t][o] = Counter.builder("xanestream.kafka.records")
                        .description("Kafka result records by topic and outcome (sent = acknowledged, failed = "
                                + "delivery error, dropped = shed before sending, superseded = replaced by a newer live update)")
                        .tag("topic", topicNames[t]).tag("outcome", OUTCOMES[o]).register(registry);
            }
        }
        this.pointLatency = Timer.builder("xanestream.energy.point")
                .description("energy point complete -> the first maps publication including it acknowledged by Kafka")
                .publishPercentiles(0.5, 0.9, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(registry);
        this.queue = new HandOffQueue(config.queueCapacity(), config.rejectedQueueCapacity(), config.queueMaxBytes(),
                new ShedCounter());
        Gauge.builder("xanestream.kafka.queue.events", queue, HandOffQueue::size)
                .description("events waiting in the Kafka publisher's hand-off queue").register(registry);
        Gauge.builder("xanestream.kafka.queue.bytes", queue, HandOffQueue::bytes).baseUnit("bytes")
                .description("pixel bytes retained by the Kafka publisher's hand-off queue").register(registry);
        Gauge.builder("xanestream.kafka.inflight.bytes", inFlightBytes, AtomicLong::get).baseUnit("bytes")
                .description("record bytes handed to the Kafka producer and not yet acknowledged").register(registry);
        this.thread = new Thread(this::run, "xanestream-kafka-publisher");
        this.thread.setDaemon(true);
        // last: the binder starts a thread of its own and must not outlive a constructor that failed
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        this.thread.start();
    }

    static Properties producerProperties(KafkaPublisherConfig c) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, c.clientId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, c.compression());
        p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(c.lingerMs()));
        // Batches of batch.size come from the producer's buffer pool; a record larger than batch.size gets
        // a fresh, zeroed buffer of its own (with 256 KiB batches that tripled the publisher thread's CPU).
        // The producer fills a batch by *estimated* compressed bytes (the topic's recent ratio), so after
        // well compressing maps it may pack several float bands into one batch: the binary topics this
        // publisher creates accept 8 MiB batches (see newTopic).
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(1024 * 1024));
        // The publisher keeps at most maxInFlightBytes outstanding, so send() never waits for buffer space.
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(c.maxInFlightBytes() + 8L * 1024 * 1024));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(c.deliveryTimeoutMs()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(c.maxBlockMs()));
        return p;
    }

    /** The admin client settings of a publisher with settings {@code c} (bootstrap servers, client id, timeouts). */
    public static Properties adminProperties(KafkaPublisherConfig c) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, c.clientId() + "-admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        return p;
    }

    public KafkaTopics topics() {
        return topics;
    }

    public KafkaPublisherConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- caller threads (never wait)

    @Override
    public void onScanStart(ScanInfo scan) {
        queue.offer(new ScanStarted(scan));
    }

    @Override
    public void onEnergyPoint(EnergyPoint point) {
        queue.offer(new PointCompleted(point, clock.millis()));
    }

    @Override
    public void onMaps(MapsSnapshot maps) {
        // arrays of a snapshot with a lease are reused once released: held until published, superseded or dropped
        maps.retain();
        queue.offer(new MapsUpdated(maps));
    }

    /** Reads maps only while it holds them (retained in {@link #onMaps}): their arrays can serve later snapshots. */
    @Override
    public boolean followsMapsLeases() {
        return true;
    }

    @Override
    public void onScanEnd(ScanEnd end) {
        queue.offer(ScanEnded.of(end));
    }

    @Override
    public void onRejected(Rejection rejection) {
        queue.offer(new MessageRejected(rejection));
    }

    /**
     * Records counted so far with {@code outcome} ({@code sent}, {@code failed}, {@code dropped}, {@code superseded}),
     * all topics, by the publishers registered with {@code registry}.
     */
    public static long records(MeterRegistry registry, String outcome) {
        double sum = 0;
        for (Counter c : registry.find("xanestream.kafka.records").tag("outcome", outcome).counters()) {
            sum += c.count();
        }
        return (long) sum;
    }

    /** Events waiting in the hand-off queue (for a {@code queue_depth{stage="kafka"}} gauge). */
    public int queuedEvents() {
        return queue.size();
    }

    /** Pixel bytes retained by the hand-off queue. */
    public long queuedBytes() {
        return queue.bytes();
    }

    /** Record bytes handed to the producer and not yet acknowledged. */
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    /**
     * Waits until everything handed over so far has been published and acknowledged (or has failed): the queue
     * is empty, no rate-limited update or scan end is pending, nothing is in flight. For tests and orderly
     * shutdown; with a broker down this returns false at the timeout.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (queue.isIdle() && !pendingWork && inFlightBytes.get() == 0) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(5);
        }
    }

    /**
     * Stops accepting events, publishes what is queued (rate limits no longer apply; scan ends still wait for
     * their final maps' acknowledgements) and closes the clients, all within {@code closeTimeoutMs}. What could not
     * be delivered in time is counted as dropped or failed and logged. Idempotent; call from any thread except
     * the publisher's.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.closeTimeoutMs());
        closing = true;
        queue.close();
        try {
            thread.join(Math.max(1, config.closeTimeoutMs()));
            if (thread.isAlive()) {
                abort = true;
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            abort = true;
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
        List<PublishEvent> left = queue.drain();
        if (!left.isEmpty()) {
            ShedCounter c = new ShedCounter();
            for (PublishEvent e : left) {
                c.dropped(e, false, "publisher closed before it could be sent");
            }
        }
        long leftNanos = Math.max(0, deadline - System.nanoTime());
        producerMetrics.close();
        try {
            producer.close(Duration.ofNanos(leftNanos));
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
            dropLog.flush();
            failLog.flush();
        }
    }

    // ---------------------------------------------------------------- publisher thread

    private void run() {
        try {
            if (admin != null) {
                ensureTopics();
            }
            prefetchPartitionCounts();
            while (!abort) {
                long now = clock.millis();
                releasePrimed();
                runTimers(now);
                pendingWork = hasPendingWork();
                if (closing && !pendingWork && queue.size() == 0) {
                    break;
                }
                long due = nextDue(now);
                long waitMillis = due == Long.MAX_VALUE ? 200 : Math.max(1, Math.min(MAX_TICK_MILLIS, due - now));
                PublishEvent e = queue.poll(TimeUnit.MILLISECONDS.toNanos(waitMillis));
                if (e != null) {
                    try {
                        handle(e, clock.millis());
                    } catch (RuntimeException ex) {
                        LOG.error("Kafka publisher could not publish {}: {}", e.getClass().getSimpleName(), ex.toString(), ex);
                    } finally {
                        pendingWork = hasPendingWork();
                        queue.markIdle();
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: fall through and account for what is left
        } catch (Throwable t) {
            LOG.error("Kafka publisher thread failed; results are no longer published to Kafka", t);
        } finally {
            dropHeld();
            for (ScanState s : scans.values()) {
                if (s.pendingFinal != null) {
                    int bands = RowBands.recordCount(s.pendingFinal.width(), s.pendingFinal.height(), 1,
                            config.maxRecordValueBytes());
                    int sent = s.pendingFinalRow / RowBands.rowsPerBand(s.pendingFinal.width(), config.maxRecordValueBytes());
                    count(T_MAPS, O_DROPPED, (long) s.pendingFinalMaps.size() * bands - sent);
                    LOG.error("scan {}: final maps {} not published (publisher closed)", s.scanId, s.pendingFinalMaps);
                    s.pendingFinal.release();
                }
                if (s.pendingEnd != null) {
                    count(T_SCANS, O_DROPPED, 1);
                    LOG.error("scan {}: end record not published (final maps not acknowledged before close)", s.scanId);
                }
                s.letGoOfMaps();
            }
            pendingWork = false;
        }
    }

    private void handle(PublishEvent event, long now) {
        if (event instanceof ScanStarted s) {
            ScanState st = state(s.info().scanId());
            st.info = s.info();
            st.nextProgressMillis = now + config.progressIntervalMs();
            send(T_SCANS, st.key, json.scan("start", s.info(), s.info().startEpochMillis(),
                    st.counters(), null, null), null, null);
        } else if (event instanceof PointCompleted p) {
            handlePoint(p, now);
        } else if (event instanceof MapsUpdated m) {
            handleMaps(m.maps(), now);
        } else if (event instanceof ScanEnded e) {
            handleEnd(e, now);
        } else if (event instanceof MessageRejected r) {
            Rejection rej = r.rejection();
            for (ScanState s : scans.values()) {
                if (s.pendingEnd == null) {
                    s.rejectedDuringScan++;
                }
            }
            send(T_REJECTED, rej.source().getBytes(StandardCharsets.UTF_8), json.rejected(rej), null, null);
        }
    }

    private void handlePoint(PointCompleted pc, long now) {
        EnergyPoint p = pc.point;
        ScanState st = state(p.scanId());
        st.energiesDone = Math.max(st.energiesDone, p.index() + 1);
        st.framesAccounted += p.frames();
        if (Double.compare(p.flatEnergyEv(), p.energyEv()) == 0) {
            st.framesAccounted += p.flats();
        }
        st.awaiting.addLast(new long[]{p.index(), pc.handoffMillis});
        send(T_POINTS, st.key, json.point(p), null, null);
        if (pc.imageStripped()) {
            return;
        }
        if (config.imageMinIntervalMs() == 0 || now - st.lastImageMillis >= config.imageMinIntervalMs()) {
            if (st.pendingImage != null) {
                count(T_IMAGES, O_SUPERSEDED, imageRecords(st.pendingImage));
            }
            publishImage(st, p, now);
        } else {
            if (st.pendingImage != null) {
                count(T_IMAGES, O_SUPERSEDED, imageRecords(st.pendingImage));
            }
            st.pendingImage = p;
        }
    }

    private void handleMaps(MapsSnapshot m, long now) {
        ScanState st = state(m.scanId());
        if (m.version() >= st.mapsVersion) {
            st.mapsVersion = m.version();
            st.summary = m.summary();
            st.whitelineOnly = m.whitelineOnly();
        }
        if (m.finalSnapshot()) {
            supersedePendingLive(st);
            if (st.pendingFinal != null) {
                publishFinal(st, true); // a second final snapshot of the scan: the first one goes out whole first
            }
            Publication pub = new Publication(m.version());
            attachAwaiting(st, pub, pub.version);
            st.finalPublication = pub;
            st.pendingFinal = m;
            st.pendingFinalMaps.addAll(m.maps().keySet());
            st.pendingFinalRow = 0;
            st.lastFinalBandNanos = System.nanoTime();
            publishFinal(st, false);
            return;
        }
        if (st.finalPublication != null) {
            count(T_MAPS, O_SUPERSEDED, liveRecords(m, m.maps().keySet()));
            m.release();
            return;
        }
        supersedePendingLive(st);
        st.pendingLive = m;
        st.pendingLiveRemaining.clear();
        st.pendingLiveRemaining.addAll(m.maps().keySet());
        publishLive(st, now, false);
    }

    private void handleEnd(ScanEnded e, long now) {
        ScanState st = state(e.info().scanId());
        if (st.info == null) {
            st.info = e.info();
        }
        if (st.pendingImage != null) {
            publishImage(st, st.pendingImage, now);
        }
        if (st.finalPublication == null && st.pendingLive != null) {
            // The final maps never reached us (shed or not produced): the newest live maps are the best left.
            publishLive(st, now, true);
        }
        st.pendingEnd = e;
        if (trySendEnd(st)) {
            scans.remove(st.scanId);
            st.letGoOfMaps();
        }
    }

    private void supersedePendingLive(ScanState st) {
        if (st.pendingLive != null) {
            count(T_MAPS, O_SUPERSEDED, liveRecords(st.pendingLive, st.pendingLiveRemaining));
            st.pendingLive.release();
            st.pendingLive = null;
            st.pendingLiveRemaining.clear();
        }
    }

    /**
     * Hands the next bands of a scan's final maps to the producer while less than {@value #FINAL_AHEAD_BYTES} bytes
     * (at most a quarter of {@code kafka.inflight-bytes}) are in flight, half of that per call, one call per turn
     * of the publisher loop, and one band anyway after 100 ms without one ({@code all}: every remaining band,
     * regardless; none once the publisher aborts), sealing the publication after the last.
     * Final maps are large (14 × 16 MB at 2048²) and share their partition with the next scan's live results,
     * which queue behind whatever was handed over before them: handed over all at once, the next scan's first
     * points waited 1–1.6 s for their maps in an operando series.
     */
    private void publishFinal(ScanState st, boolean all) {
        MapsSnapshot m = st.pendingFinal;
        int w = m.width();
        int h = m.height();
        int rowsPerBand = RowBands.rowsPerBand(w, config.maxRecordValueBytes());
        long ahead = Math.min(FINAL_AHEAD_BYTES, config.maxInFlightBytes() / 4);
        // per call at most half of that, so that a queued event is handled in between even while acknowledgements
        // keep the in-flight bytes low (one call sent the whole rest for 0.75 s)
        long slice = 0;
        // progress even while newer results keep the in-flight bytes up: a band at least every FINAL_STALL_NANOS
        boolean due = System.nanoTime() - st.lastFinalBandNanos >= FINAL_STALL_NANOS;
        while (!abort && !st.pendingFinalMaps.isEmpty()
                && (all || due || (inFlightBytes.get() < ahead && slice < ahead / 2))) {
            due = false;
            String name = st.pendingFinalMaps.peekFirst();
            int row0 = st.pendingFinalRow;
            int rows = Math.min(rowsPerBand, h - row0);
            slice += 4L * w * rows;
            st.lastFinalBandNanos = System.nanoTime();
            sendBand(st.finalPublication, st, utf8(name), m.maps().get(name), w, h, m, 1, row0, rows, true);
            st.pendingFinalRow = row0 + rows;
            if (st.pendingFinalRow >= h) {
                st.pendingFinalMaps.pollFirst();
                st.pendingFinalRow = 0;
            }
        }
        if (st.pendingFinalMaps.isEmpty()) {
            st.pendingFinal = null;
            m.release();
            st.finalPublication.seal();
        }
    }

    /** Publishes the pending live maps that changed and whose rate limit allows it ({@code force}: ignore the limit). */
    private void publishLive(ScanState st, long now, boolean force) {
        MapsSnapshot m = st.pendingLive;
        long interval = config.liveMapMinIntervalMs();
        int bin = ImageBinning.binFactor(m.width(), m.height(), config.liveMapMaxSide());
        Publication round = null;
        long due = Long.MAX_VALUE;
        for (Iterator<String> it = st.pendingLiveRemaining.iterator(); it.hasNext(); ) {
            String name = it.next();
            float[] data = m.maps().get(name);
            MapMemo memo = st.published.computeIfAbsent(name, k -> new MapMemo());
            if (!force && memo.lastData != null && now - memo.lastMillis < interval) {
                // Not due: leave it pending without reading its pixels (a newer update may replace it).
                due = Math.min(due, memo.lastMillis + interval);
                continue;
            }
            // The memo keeps a copy of the last published pixels (a released snapshot's arrays serve later
            // snapshots), compared exactly (vectorized; NaN equals NaN) rather than hashed.
            if (java.util.Arrays.equals(memo.lastData, data)) {
                it.remove();
                continue;
            }
            if (round == null) {
                round = new Publication(m.version());
            }
            publishMap(round, st, name, data, m, bin, false);
            memo.remember(data);
            memo.lastMillis = now;
            it.remove();
        }
        if (round != null) {
            attachAwaiting(st, round, round.version);
            round.seal();
            st.lastLive = round;
        } else if (st.pendingLiveRemaining.isEmpty() && st.lastLive != null) {
            // Every map equals its last publication: the points of this snapshot change no map, and the maps that
            // include them are those already published. The newest live round answers for them (acknowledged
            // after every older round: one partition per scan, delivered in order).
            attachAwaiting(st, st.lastLive, m.version());
        }
        if (st.pendingLiveRemaining.isEmpty()) {
            st.pendingLive = null;
            m.release();
            st.liveDueMillis = Long.MAX_VALUE;
        } else {
            st.liveDueMillis = due;
        }
    }

    private void publishMap(Publication pub, ScanState st, String name, float[] data, MapsSnapshot m, int bin,
                            boolean fin) {
        int w = m.width();
        int h = m.height();
        float[] src = data;
        if (bin > 1) {
            src = bin(data, w, h, bin);
            w = ImageBinning.binnedSize(w, bin);
            h = ImageBinning.binnedSize(h, bin);
        }
        byte[] mapName = utf8(name);
        int rowsPerBand = RowBands.rowsPerBand(w, config.maxRecordValueBytes());
        for (int row0 = 0; row0 < h; row0 += rowsPerBand) {
            sendBand(pub, st, mapName, src, w, h, m, bin, row0, Math.min(rowsPerBand, h - row0), fin);
        }
    }

    /** One band of a map ({@code src}, w×h after binning by {@code bin}). */
    private void sendBand(Publication pub, ScanState st, byte[] mapName, float[] src, int w, int h, MapsSnapshot m,
                          int bin, int row0, int rows, boolean fin) {
        List<Header> headers = new ArrayList<>(14);
        headers.add(new RecordHeader(KafkaTopics.H_SCHEMA, SCHEMA));
        headers.add(new RecordHeader(KafkaTopics.H_SCAN_ID, st.key));
        headers.add(new RecordHeader(KafkaTopics.H_MAP, mapName));
        // live maps the processor fitted on the binned stack carry their own bin (DESIGN §4.3, kafka-topics §4.1)
        bandHeaders(headers, w, h, m.sourceWidth(), m.sourceHeight(), m.bin() * bin, row0, rows, m.version(), fin);
        send(T_MAPS, st.key, RowBands.encodeRows(src, w, row0, rows), headers, pub);
    }

    private void publishImage(ScanState st, EnergyPoint p, long now) {
        st.pendingImage = null;
        st.lastImageMillis = now;
        int w = p.width();
        int h = p.height();
        int bin = ImageBinning.binFactor(w, h, config.imageMaxSide());
        float[] src = p.alignedMu();
        if (bin > 1) {
            src = bin(src, w, h, bin);
            w = ImageBinning.binnedSize(w, bin);
            h = ImageBinning.binnedSize(h, bin);
        }
        byte[] index = utf8(Integer.toString(p.index()));
        byte[] energy = utf8(Double.toString(p.energyEv()));
        int rowsPerBand = RowBands.rowsPerBand(w, config.maxRecordValueBytes());
        for (int row0 = 0; row0 < h; row0 += rowsPerBand) {
            int rows = Math.min(rowsPerBand, h - row0);
            List<Header> headers = new ArrayList<>(15);
            headers.add(new RecordHeader(KafkaTopics.H_SCHEMA, SCHEMA));
            headers.add(new RecordHeader(KafkaTopics.H_SCAN_ID, st.key));
            headers.add(new RecordHeader(KafkaTopics.H_ENERGY_INDEX, index));
            headers.add(new RecordHeader(KafkaTopics.H_ENERGY_EV, energy));
            bandHeaders(headers, w, h, p.width(), p.height(), bin, row0, rows, p.index() + 1, false);
            send(T_IMAGES, st.key, RowBands.encodeRows(src, w, row0, rows), headers, null);
        }
    }

    private static void bandHeaders(List<Header> headers, int w, int h, int sourceW, int sourceH, int bin, int row0,
                                    int rows, int version, boolean fin) {
        headers.add(new RecordHeader(KafkaTopics.H_WIDTH, utf8(Integer.toString(w))));
        headers.add(new RecordHeader(KafkaTopics.H_HEIGHT, utf8(Integer.toString(h))));
        headers.add(new RecordHeader(KafkaTopics.H_SOURCE_WIDTH, utf8(Integer.toString(sourceW))));
        headers.add(new RecordHeader(KafkaTopics.H_SOURCE_HEIGHT, utf8(Integer.toString(sourceH))));
        headers.add(new RecordHeader(KafkaTopics.H_BIN, utf8(Integer.toString(bin))));
        headers.add(new RecordHeader(KafkaTopics.H_ROW0, utf8(Integer.toString(row0))));
        headers.add(new RecordHeader(KafkaTopics.H_ROWS, utf8(Integer.toString(rows))));
        headers.add(new RecordHeader(KafkaTopics.H_DTYPE, FLOAT32));
        headers.add(new RecordHeader(KafkaTopics.H_VERSION, utf8(Integer.toString(version))));
        headers.add(new RecordHeader(KafkaTopics.H_FINAL, fin ? TRUE : FALSE));
    }

    private float[] bin(float[] data, int w, int h, int bin) {
        int ow = ImageBinning.binnedSize(w, bin);
        int n = ow * ImageBinning.binnedSize(h, bin);
        if (binScratch.length < n) {
            binScratch = new float[n];
        }
        if (sumScratch.length < ow) {
            sumScratch = new double[ow];
            countScratch = new int[ow];
        }
        ImageBinning.binNanMean(data, w, h, bin, binScratch, sumScratch, countScratch);
        return binScratch;
    }

    /**
     * The points handed over so far that maps of {@code version} include now wait on {@code pub} (their latency
     * is recorded when it is acknowledged, at once if it already is).
     */
    private static void attachAwaiting(ScanState st, Publication pub, int version) {
        int n = 0;
        for (long[] a : st.awaiting) {
            if (a[0] < version) {
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        long[] handoff = new long[n];
        int k = 0;
        for (Iterator<long[]> it = st.awaiting.iterator(); it.hasNext(); ) {
            long[] a = it.next();
            if (a[0] < version) {
                handoff[k++] = a[1];
                it.remove();
            }
        }
        pub.answerFor(handoff);
    }

    private void runTimers(long now) {
        boolean force = closing;
        for (Iterator<ScanState> it = scans.values().iterator(); it.hasNext(); ) {
            ScanState st = it.next();
            if (st.pendingFinal != null) {
                publishFinal(st, force);
            }
            if (st.pendingLive != null && (force || now >= st.liveDueMillis)) {
                publishLive(st, now, force);
            }
            if (st.pendingImage != null && (force || now - st.lastImageMillis >= config.imageMinIntervalMs())) {
                publishImage(st, st.pendingImage, now);
            }
            if (!force && st.info != null && st.pendingEnd == null && now >= st.nextProgressMillis) {
                st.nextProgressMillis = now + config.progressIntervalMs();
                send(T_SCANS, st.key, json.scan("progress", st.info, now, st.counters(), st.mapsState(), null),
                        null, null);
            }
            if (st.pendingEnd != null && trySendEnd(st)) {
                it.remove();
                st.letGoOfMaps();
            }
        }
    }

    /** Sends the end record once the final maps are acknowledged; true if sent (the caller then forgets the scan). */
    private boolean trySendEnd(ScanState st) {
        Publication fin = st.finalPublication;
        if (fin != null && !fin.done) {
            return false;
        }
        ScanEnded e = st.pendingEnd;
        boolean complete = fin != null && !fin.failed && fin.version == e.finalMapsVersion();
        if (!complete) {
            LOG.warn("scan {}: final maps {} on Kafka; the end record says final_maps_complete=false", st.scanId,
                    fin == null ? "were not published" : "were not all acknowledged");
        }
        JsonRecords.MapsState maps = new JsonRecords.MapsState(
                e.finalMapsVersion() >= 0 ? e.finalMapsVersion() : st.mapsVersion,
                e.finalMapsVersion() >= 0 ? e.whitelineOnly() : st.whitelineOnly,
                e.finalMapsVersion() >= 0 ? e.summary() : st.summary);
        send(T_SCANS, st.key, json.scan("end", e.info(), e.epochMillis(),
                new JsonRecords.ScanCounters(e.energiesDone(), e.framesReceived(), e.framesRejected()), maps,
                complete), null, null);
        st.pendingEnd = null;
        st.awaiting.clear();
        return true;
    }

    private boolean hasPendingWork() {
        if (!priming.isEmpty()) {
            return true;
        }
        for (ScanState st : scans.values()) {
            if (st.pendingLive != null || st.pendingImage != null || st.pendingEnd != null || st.pendingFinal != null) {
                return true;
            }
        }
        return false;
    }

    private long nextDue(long now) {
        long due = Long.MAX_VALUE;
        for (ScanState st : scans.values()) {
            if (st.info != null && st.pendingEnd == null) {
                due = Math.min(due, st.nextProgressMillis);
            }
            if (st.pendingLive != null) {
                due = Math.min(due, st.liveDueMillis);
            }
            if (st.pendingImage != null) {
                due = Math.min(due, st.lastImageMillis + config.imageMinIntervalMs());
            }
            if (st.pendingEnd != null) {
                due = Math.min(due, now + MAX_TICK_MILLIS);
            }
            if (st.pendingFinal != null) {
                // acknowledgements do not wake the loop: look again soon
                due = Math.min(due, now + FINAL_TICK_MILLIS);
            }
        }
        return due;
    }

    private ScanState state(String scanId) {
        ScanState st = scans.get(scanId);
        if (st == null) {
            st = new ScanState(scanId);
            st.nextProgressMillis = clock.millis() + config.progressIntervalMs();
            scans.put(scanId, st);
        }
        return st;
    }

    /**
     * Hands one record to the producer. Waits (this thread only) while {@code maxInFlightBytes} are outstanding,
     * so the producer's buffer never fills and {@code send} does not block on memory.
     */
    private void send(int topic, byte[] key, byte[] value, List<Header> headers, Publication pub) {
        long size = (long) value.length + key.length + RECORD_OVERHEAD_BYTES;
        awaitInFlightRoom(size);
        inFlightBytes.addAndGet(size);
        if (pub != null) {
            pub.add();
        }
        SendCallback cb = new SendCallback(topic, size, pub);
        Integer partition;
        try {
            partition = partition(topic, key);
        } catch (RuntimeException e) {
            cb.onCompletion(null, e);
            return;
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topicNames[topic], partition, null, key, value,
                headers);
        if (partition != null) {
            String p = topicNames[topic] + "/" + partition;
            if (!primed.contains(p)) {
                Priming first = priming.get(p);
                if (first != null) {
                    // behind the partition's first record, in order
                    first.held.addLast(new Held(record, cb));
                    return;
                }
                cb.primes = new Priming();
                priming.put(p, cb.primes);
            }
        }
        producerSend(record, cb);
    }

    private void producerSend(ProducerRecord<byte[], byte[]> record, SendCallback cb) {
        try {
            producer.send(record, cb);
        } catch (RuntimeException e) {
            cb.onCompletion(null, e);
        }
    }

    /**
     * Partitions whose first record was answered: acknowledged, they are primed and their held records go to
     * the producer in order; failed, the first held record becomes the new first (the rest stay held).
     */
    private void releasePrimed() {
        for (Iterator<Map.Entry<String, Priming>> it = priming.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Priming> e = it.next();
            Priming first = e.getValue();
            int state = first.state;
            if (state == Priming.WAITING) {
                continue;
            }
            if (state == Priming.ACKNOWLEDGED) {
                it.remove();
                primed.add(e.getKey());
                for (Held h : first.held) {
                    producerSend(h.record, h.callback);
                }
                continue;
            }
            Held next = first.held.pollFirst();
            if (next == null) {
                it.remove();
                continue;
            }
            // the failed first record's callback is done with it: the same entry waits for the next one
            first.state = Priming.WAITING;
            next.callback.primes = first;
            producerSend(next.record, next.callback);
        }
    }

    /** Records still held behind a first record at close: never handed to the producer, counted as dropped. */
    private void dropHeld() {
        for (Priming first : priming.values()) {
            for (Held h : first.held) {
                h.callback.dropped();
            }
            first.held.clear();
        }
    }

    /**
     * The partition for a key: Kafka's default rule (murmur2 of the key modulo the partition count), computed
     * here so that the publisher knows which partition a record goes to; null if the count is unknown.
     */
    private Integer partition(int topic, byte[] key) {
        Integer n = partitionCounts.get(topic);
        if (n == null) {
            n = producer.partitionsFor(topicNames[topic]).size();
            if (n == 0) {
                return null;
            }
            partitionCounts.put(topic, n);
        }
        return Utils.toPositive(Utils.murmur2(key)) % n;
    }

    /**
     * Learns every topic's partition count while the broker is (most likely) reachable, so that a topic first
     * used during an outage (say the rejected topic) does not have to wait for metadata then.
     */
    private void prefetchPartitionCounts() {
        for (int t = 0; t < topicNames.length && !abort; t++) {
            try {
                partition(t, new byte[0]);
            } catch (RuntimeException e) {
                LOG.debug("partition count of {} not known yet: {}", topicNames[t], e.toString());
            }
        }
    }

    private void awaitInFlightRoom(long size) {
        long max = config.maxInFlightBytes();
        while (!abort) {
            long cur = inFlightBytes.get();
            if (cur == 0 || cur + size <= max) {
                return;
            }
            // held records count as in flight: release those whose first record was answered meanwhile
            releasePrimed();
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(MAX_TICK_MILLIS));
        }
    }

    private void ensureTopics() throws InterruptedException {
        long backoffMillis = 500;
        while (!abort) {
            try {
                createMissingTopics();
                return;
            } catch (RetriableException | TimeoutException e) {
                failLog.warn("topics", "Kafka at {} not reachable to create topics ({}); retrying, results queue meanwhile",
                        config.bootstrapServers(), e.toString());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    LOG.warn("cannot create Kafka topics under prefix {} ({}); publishing anyway (they may exist or be "
                            + "auto-created)", config.topicPrefix(), e.getCause().toString());
                    return;
                }
                failLog.warn("topics", "Kafka at {} not ready to create topics ({}); retrying", config.bootstrapServers(),
                        e.getCause().toString());
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
            while (!abort && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            backoffMillis = Math.min(30_000, backoffMillis * 2);
        }
    }

    private void createMissingTopics() throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = new HashSet<>(admin.listTopics(new ListTopicsOptions().timeoutMs(10_000)).names()
                .get(15, TimeUnit.SECONDS));
        List<NewTopic> missing = new ArrayList<>();
        for (int t = 0; t < topicNames.length; t++) {
            if (!existing.contains(topicNames[t])) {
                missing.add(newTopic(t));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<Void>> results = admin.createTopics(missing,
                new CreateTopicsOptions().timeoutMs(10_000)).values();
        for (Map.Entry<String, KafkaFuture<Void>> r : results.entrySet()) {
            try {
                r.getValue().get(15, TimeUnit.SECONDS);
                LOG.info("created Kafka topic {}", r.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        awaitVisible(results.keySet());
    }

    /**
     * Waits (at most 10 s) until topics just created appear in the brokers' metadata. A producer asking for them
     * earlier gets UNKNOWN_TOPIC_OR_PARTITION, and a broker that auto-creates topics then races the creation
     * (both logged as warnings; harmless, but noise at every start).
     */
    private void awaitVisible(Collection<String> topics) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!abort) {
            try {
                admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    return; // publishing copes; this wait only spares the warnings
                }
            } catch (TimeoutException e) {
                return; // the topics were created; a slow answer here is no reason to create them again
            }
            Thread.sleep(20);
        }
    }

    private NewTopic newTopic(int t) {
        boolean binary = t == T_IMAGES || t == T_MAPS;
        Map<String, String> configs = new HashMap<>();
        configs.put("cleanup.policy", "delete");
        configs.put("retention.ms", Long.toString(binary ? config.binaryRetentionMs() : config.retentionMs()));
        if (binary) {
            configs.put("retention.bytes", Long.toString(config.binaryRetentionBytes()));
            // room for a batch whose compression the producer over-estimated (see producerProperties)
            configs.put("max.message.bytes", Integer.toString(BINARY_TOPIC_MAX_MESSAGE_BYTES));
        }
        Optional<Short> rf = config.replicationFactor() == -1 ? Optional.empty()
                : Optional.of((short) config.replicationFactor());
        return new NewTopic(topicNames[t], Optional.of(config.partitions()), rf).configs(configs);
    }

    // ---------------------------------------------------------------- accounting

    private void count(int topic, int outcome, long n) {
        if (n > 0) {
            records[topic][outcome].increment(n);
        }
    }

    private int imageRecords(EnergyPoint p) {
        return RowBands.recordCount(p.width(), p.height(), ImageBinning.binFactor(p.width(), p.height(),
                config.imageMaxSide()), config.maxRecordValueBytes());
    }

    private int liveRecords(MapsSnapshot m, Set<String> names) {
        int bin = ImageBinning.binFactor(m.width(), m.height(), config.liveMapMaxSide());
        return names.size() * RowBands.recordCount(m.width(), m.height(), bin, config.maxRecordValueBytes());
    }

    private int mapsRecords(MapsSnapshot m) {
        return m.finalSnapshot()
                ? m.maps().size() * RowBands.recordCount(m.width(), m.height(), 1, config.maxRecordValueBytes())
                : liveRecords(m, m.maps().keySet());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Counts and logs what the hand-off queue shed; runs on the offering thread. */
    private final class ShedCounter implements HandOffQueue.Outcomes {
        @Override
        public void superseded(MapsUpdated old) {
            count(T_MAPS, O_SUPERSEDED, mapsRecords(old.maps()));
            old.maps().release();
        }

        @Override
        public void dropped(PublishEvent event, boolean imageOnly, String why) {
            if (event instanceof PointCompleted p) {
                EnergyPoint ep = p.point;
                if (!imageOnly) {
                    count(T_POINTS, O_DROPPED, 1);
                    dropLog.error("points", "Kafka publisher dropped the energy point record {} of scan {}: {}",
                            ep.index(), ep.scanId(), why);
                }
                if (imageOnly || !p.imageStripped()) {
                    count(T_IMAGES, O_DROPPED, imageRecords(ep));
                    dropLog.warn("images", "Kafka publisher dropped the image of energy point {} of scan {}: {}",
                            ep.index(), ep.scanId(), why);
                }
            } else if (event instanceof MapsUpdated m) {
                count(T_MAPS, O_DROPPED, mapsRecords(m.maps()));
                m.maps().release();
                if (m.isFinal()) {
                    dropLog.error("final-maps", "Kafka publisher dropped the FINAL maps of scan {}: {}",
                            m.maps().scanId(), why);
                } else {
                    dropLog.warn("live-maps", "Kafka publisher dropped live maps version {} of scan {}: {}",
                            m.maps().version(), m.maps().scanId(), why);
                }
            } else if (event instanceof ScanStarted s) {
                count(T_SCANS, O_DROPPED, 1);
                dropLog.error("scans", "Kafka publisher dropped the start record of scan {}: {}", s.info().scanId(), why);
            } else if (event instanceof ScanEnded e) {
                count(T_SCANS, O_DROPPED, 1);
                dropLog.error("scans", "Kafka publisher dropped the end record of scan {}: {}", e.info().scanId(), why);
            } else if (event instanceof MessageRejected r) {
                count(T_REJECTED, O_DROPPED, 1);
                dropLog.warn("rejected", "Kafka publisher dropped a rejected-message record from {}: {}",
                        r.rejection().source(), why);
            }
        }
    }

    /** Producer acknowledgement: runs on the producer's I/O thread (or inline when {@code send} fails). */
    private final class SendCallback implements Callback {
        private final int topic;
        private final long size;
        private final Publication publication;
        /** Set if this is the first record of its partition (publisher thread, before sending). */
        Priming primes;

        SendCallback(int topic, long size, Publication publication) {
            this.topic = topic;
            this.size = size;
            this.publication = publication;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (primes != null) {
                // before the unpark below: a publisher thread waiting for in-flight room then sees it
                primes.state = exception == null ? Priming.ACKNOWLEDGED : Priming.FAILED;
            }
            inFlightBytes.addAndGet(-size);
            LockSupport.unpark(thread);
            if (primes != null) {
                queue.wakeUp();
            }
            if (exception == null) {
                count(topic, O_SENT, 1);
            } else {
                count(topic, O_FAILED, 1);
                failLog.error("send-" + topic, "Kafka record to {} failed: {}", topicNames[topic], exception.toString());
            }
            if (publication != null) {
                publication.complete(exception == null);
            }
        }

        /** Never handed to the producer (held at close). */
        void dropped() {
            inFlightBytes.addAndGet(-size);
            count(topic, O_DROPPED, 1);
            dropLog.error("held-" + topic, "Kafka record to {} dropped: the publisher closed before the first record "
                    + "of its partition was acknowledged", topicNames[topic]);
            if (publication != null) {
                publication.complete(false);
            }
        }
    }

    /** The first record of a partition in flight, and the records of that partition waiting for it. */
    private static final class Priming {
        static final int WAITING = 0;
        static final int ACKNOWLEDGED = 1;
        static final int FAILED = 2;
        /** Set by the producer's callback thread (back to WAITING by the publisher thread for a new first). */
        volatile int state = WAITING;
        /** Publisher thread only. */
        final ArrayDeque<Held> held = new ArrayDeque<>();
    }

    private record Held(ProducerRecord<byte[], byte[]> record, SendCallback callback) {
    }

    /**
     * The records of one maps publication round: done when every record is acknowledged or failed. The guard
     * count of 1 keeps it open until {@link #seal()}, so early acknowledgements cannot complete it.
     */
    private final class Publication {
        final int version;
        private final AtomicInteger outstanding = new AtomicInteger(1);
        /** Hand-off times of the points whose latency this publication ends; guarded by this. */
        private long[] pointHandoffMillis = new long[0];
        volatile boolean failed;
        volatile boolean done;

        Publication(int version) {
            this.version = version;
        }

        void add() {
            outstanding.incrementAndGet();
        }

        void seal() {
            complete(true);
        }

        /**
         * Points whose maps this publication holds: their latency is recorded when it is acknowledged, now if it
         * already is; never if it failed. Publisher thread (the acknowledgement may complete it concurrently).
         */
        synchronized void answerFor(long[] handoffMillis) {
            if (done) {
                record(handoffMillis);
                return;
            }
            long[] all = java.util.Arrays.copyOf(pointHandoffMillis, pointHandoffMillis.length + handoffMillis.length);
            System.arraycopy(handoffMillis, 0, all, pointHandoffMillis.length, handoffMillis.length);
            pointHandoffMillis = all;
        }

        void complete(boolean ok) {
            if (!ok) {
                failed = true;
            }
            if (outstanding.decrementAndGet() == 0) {
                synchronized (this) {
                    done = true;
                    record(pointHandoffMillis);
                }
                queue.wakeUp();
            }
        }

        private void record(long[] handoffMillis) {
            if (failed) {
                return;
            }
            long now = clock.millis();
            for (long t : handoffMillis) {
                pointLatency.record(Math.max(0, now - t), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static final class MapMemo {
        /**
         * A copy of the pixels of the last publication, null before the first. A copy, not the snapshot's array:
         * holding the snapshot would keep all its maps from reuse for as long as this one map stays unchanged.
         */
        float[] lastData;
        long lastMillis;

        void remember(float[] data) {
            if (lastData == null || lastData.length != data.length) {
                lastData = new float[data.length];
            }
            System.arraycopy(data, 0, lastData, 0, data.length);
        }
    }

    /** Per-scan state; owned by the publisher thread. */
    private static final class ScanState {
        final String scanId;
        final byte[] key;
        ScanInfo info;
        int energiesDone;
        long framesAccounted;
        long rejectedDuringScan;
        int mapsVersion;
        boolean whitelineOnly;
        Map<String, MapSummary> summary = Map.of();
        long nextProgressMillis;
        MapsSnapshot pendingLive;
        final Set<String> pendingLiveRemaining = new LinkedHashSet<>();
        long liveDueMillis = Long.MAX_VALUE;
        final Map<String, MapMemo> published = new HashMap<>();
        EnergyPoint pendingImage;
        long lastImageMillis = Long.MIN_VALUE / 2;
        /** {index, handoff millis} of points not yet covered by an acknowledged maps publication. */
        final ArrayDeque<long[]> awaiting = new ArrayDeque<>();
        Publication finalPublication;
        /** Final maps not yet all handed to the producer (publishFinal): the snapshot, the maps left, the next row. */
        MapsSnapshot pendingFinal;
        final ArrayDeque<String> pendingFinalMaps = new ArrayDeque<>();
        int pendingFinalRow;
        long lastFinalBandNanos;
        /** The newest live maps publication round; null before the first. */
        Publication lastLive;
        ScanEnded pendingEnd;

        ScanState(String scanId) {
            this.scanId = scanId;
            this.key = scanId.getBytes(StandardCharsets.UTF_8);
        }

        JsonRecords.ScanCounters counters() {
            return new JsonRecords.ScanCounters(energiesDone, framesAccounted, rejectedDuringScan);
        }

        JsonRecords.MapsState mapsState() {
            return new JsonRecords.MapsState(mapsVersion, whitelineOnly, summary);
        }

        /** The scan is forgotten: its pending live maps are let go. */
        void letGoOfMaps() {
            if (pendingLive != null) {
                pendingLive.release();
                pendingLive = null;
                pendingLiveRemaining.clear();
            }
        }
    }
}
