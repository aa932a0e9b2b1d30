package org.xanestream.deploy.config;

import org.xanestream.deploy.kafka.EmbeddedBrokerConfig;
import org.xanestream.ingest.AttributeMapping;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.publisher.dashboard.DashboardConfig;
import org.xanestream.publisher.http.OpsHttpConfig;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.processor.drift.DriftConfig;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.NormalizationWindows;
import org.xanestream.processor.session.ProcessorConfig;
import org.xanestream.processor.session.SessionConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one declared home of xanestream's configuration: every key with its type, default, description
 * and validation, in documentation order. Values come from defaults, then a YAML file
 * ({@code --config FILE}), then command-line options ({@code --key value}), the later overriding the
 * earlier. {@code docs/configuration.md} is generated from this declaration ({@link ConfigReference}).
 *
 * <p>An instance holds the resolved, validated values of one command invocation; it is immutable and
 * thread safe. {@link ModuleConfigs} maps it onto the modules' config records.
 */
public final class XanestreamConfig {
    private static final List<ConfigKey<?>> KEYS = new ArrayList<>();

    private static <T> ConfigKey<T> declare(ConfigKey.Builder<T> b) {
        ConfigKey<T> k = b.build();
        for (ConfigKey<?> other : KEYS) {
            if (other.name().equals(k.name()) || other.name().startsWith(k.name() + ".")
                    || k.name().startsWith(other.name() + ".")) {
                throw new IllegalStateException("configuration key " + k.name() + " clashes with " + other.name());
            }
        }
        KEYS.add(k);
        return k;
    }

    private static final String TCP_OR_IPC = "(tcp://(\\*|[A-Za-z0-9._-]+|\\[[0-9A-Fa-f:]+\\]):(\\*|[0-9]{1,5})|ipc://\\S+|inproc://\\S+)";

    // ---------------------------------------------------------------- input
    public static final ConfigKey<String> ZMQ_ENDPOINT = declare(ConfigKey.scalar("zmq.endpoint", ValueType.STRING)
            .in(Section.INPUT).defaultFrom(() -> ZmqReceiverConfig.defaults().endpoint())
            .check(Check.pattern(TCP_OR_IPC, "a ZeroMQ endpoint tcp://HOST:PORT (or ipc://PATH)"))
            .description("ZeroMQ endpoint of the detector stream. With mode `connect` or `sub` the detector's address "
                    + "(areaDetector NDPluginZMQ and DECTRIS detectors bind); with `bind` or `sub-bind` the local "
                    + "interface and port, e.g. tcp://*:5555."));

    public static final ConfigKey<String> ZMQ_MODE = declare(ConfigKey.scalar("zmq.mode",
                    ValueType.choice("connect", "bind", "sub", "sub-bind"))
            .in(Section.INPUT).defaultValue("connect")
            .description("Socket pattern: `connect` (PULL connecting to a PUSH that binds), `bind` (PULL that binds; "
                    + "senders connect), `sub` (SUB connecting to a PUB; no back-pressure: the sender drops at its "
                    + "high-water mark), `sub-bind` (SUB that binds; publishers connect)."));

    public static final ConfigKey<Integer> ZMQ_RCVHWM = declare(ConfigKey.scalar("zmq.rcvhwm", ValueType.INT)
            .in(Section.INPUT).defaultFrom(() -> ZmqReceiverConfig.defaults().rcvHwm()).check(Check.range(1, 100_000))
            .description("Receive high-water mark in messages: how many frames ZeroMQ buffers ahead of the receiver. "
                    + "Each may be a full frame (8 MiB at 2048x2048 uint16)."));

    public static final ConfigKey<Long> ZMQ_MESSAGE_POOL_BYTES = declare(ConfigKey.scalar("zmq.message-pool-bytes", ValueType.BYTES)
            .in(Section.INPUT).defaultFrom(() -> ZmqReceiverConfig.defaults().messagePoolBytes())
            .check(Check.rangeLong(0, 64L << 30))
            .description("Bytes of received-message buffers kept for reuse; above (zmq.rcvhwm + 2) x the largest "
                    + "message, receiving allocates nothing in steady state."));

    public static final ConfigKey<Integer> ZMQ_IO_THREADS = declare(ConfigKey.scalar("zmq.io-threads", ValueType.INT)
            .in(Section.INPUT).defaultFrom(() -> ZmqReceiverConfig.defaults().ioThreads()).check(Check.range(1, 16))
            .description("JeroMQ I/O threads."));

    public static final ConfigKey<String> PROTOCOL = declare(ConfigKey.scalar("protocol", ValueType.choice("adzmq", "dectris1"))
            .in(Section.INPUT).defaultValue("adzmq")
            .description("Wire protocol: `adzmq` (areaDetector NDPluginZMQ array-1.0) or `dectris1` (DECTRIS stream v1)."));

    public static final ConfigKey<Boolean> ADZMQ_SHAPE_XY = declare(ConfigKey.scalar("adzmq.shape-xy", ValueType.BOOLEAN)
            .in(Section.INPUT).defaultFrom(() -> AdZmqConfig.defaults().legacyShapeOrder())
            .description("ADZMQ only: the sender writes `shape` as [x, y] (older NDPluginZMQ) instead of [rows, cols]."));

    public static final ConfigKey<Long> MAX_HEADER_BYTES = declare(ConfigKey.scalar("ingest.max-header-bytes", ValueType.BYTES)
            .in(Section.INPUT).defaultFrom(() -> (long) AdZmqConfig.defaults().maxHeaderBytes())
            .check(Check.rangeLong(64, 16L << 20))
            .description("Largest JSON part accepted (ADZMQ header; DECTRIS headers, configuration and appendices); "
                    + "longer ones are rejected before parsing."));

    // ---------------------------------------------------------------- frames and queues
    public static final ConfigKey<Long> MAX_FRAME_BYTES = declare(ConfigKey.scalar("ingest.max-frame-bytes", ValueType.BYTES)
            .in(Section.FRAMES).defaultFrom(() -> AdZmqConfig.defaults().maxFrameBytes())
            .check(Check.rangeLong(1L << 10, AdZmqConfig.MAX_FRAME_BYTES_LIMIT))
            .description("Largest frame accepted (decoded size); larger declared sizes are rejected as `too_large` "
                    + "before anything is allocated."));

    public static final ConfigKey<Long> FRAME_POOL_BYTES = declare(ConfigKey.scalar("ingest.frame-pool-bytes", ValueType.BYTES)
            .in(Section.FRAMES).defaultValue(1L << 30).check(Check.rangeLong(1L << 20, 1L << 40))
            .description("Memory budget of the pooled frame buffers (frames received but not yet processed). "
                    + "Must hold one frame of ingest.max-frame-bytes; for no waits it should exceed "
                    + "(ingest.queue-capacity + 2) frames. The JVM heap (-Xmx) must be larger."));

    public static final ConfigKey<Duration> BUFFER_WAIT = declare(ConfigKey.scalar("ingest.buffer-wait", ValueType.DURATION_TYPE)
            .in(Section.FRAMES).defaultFrom(() -> Duration.ofMillis(AdZmqConfig.defaults().bufferWaitMs()))
            .check(Check.durationRange(Duration.ZERO, Duration.ofMinutes(10)))
            .description("How long the receiver waits for a free frame buffer before rejecting the frame as "
                    + "`no_buffer` (processing is behind and the pool is exhausted)."));

    public static final ConfigKey<Integer> QUEUE_CAPACITY = declare(ConfigKey.scalar("ingest.queue-capacity", ValueType.INT)
            .in(Section.FRAMES).defaultFrom(() -> EventQueueConfig.defaults().capacity())
            .check(Check.range(1, EventQueueConfig.MAX_CAPACITY))
            .description("Capacity (frames) of the queue between the receiver and the processor."));

    public static final ConfigKey<String> QUEUE_FULL = declare(ConfigKey.scalar("ingest.queue-full", ValueType.choice("block", "drop-oldest"))
            .in(Section.FRAMES).defaultValue("block")
            .description("When the processor falls behind and the queue is full: `block` (stop reading the socket, "
                    + "so ZeroMQ pushes back on the sender) or `drop-oldest` (discard the oldest queued frame; counted "
                    + "in xanestream_frames_dropped_total)."));

    // ---------------------------------------------------------------- attributes
    public static final ConfigKey<String> ATTR_ENERGY = declare(ConfigKey.scalar("attributes.energy", ValueType.STRING)
            .in(Section.ATTRIBUTES).defaultFrom(() -> AttributeMapping.defaults().energyName()).check(Check.notBlank())
            .description("Attribute holding the photon energy (values below 100 are keV, others eV)."));

    public static final ConfigKey<String> ATTR_KIND = declare(ConfigKey.scalar("attributes.kind", ValueType.STRING)
            .in(Section.ATTRIBUTES).defaultFrom(() -> AttributeMapping.defaults().kindName()).check(Check.notBlank())
            .description("Attribute holding the frame kind, as text (Projection/Sample/Data, FlatField/Flat/Bkg, "
                    + "DarkField/Dark) or as a number (see the codes below)."));

    public static final ConfigKey<String> ATTR_SCAN_ID = declare(ConfigKey.scalar("attributes.scan-id", ValueType.STRING)
            .in(Section.ATTRIBUTES).defaultFrom(() -> AttributeMapping.defaults().scanIdName()).check(Check.notBlank())
            .description("Attribute holding the scan id."));

    public static final ConfigKey<Integer> ATTR_SAMPLE_CODE = declare(ConfigKey.scalar("attributes.sample-code", ValueType.INT)
            .in(Section.ATTRIBUTES).defaultFrom(() -> AttributeMapping.defaults().sampleCode())
            .description("Numeric frame kind of sample frames."));

    public static final ConfigKey<Integer> ATTR_FLAT_CODE = declare(ConfigKey.scalar("attributes.flat-code", ValueType.INT)
            .in(Section.ATTRIBUTES).defaultFrom(() -> AttributeMapping.defaults().flatCode())
            .description("Numeric frame kind of flat-field frames."));

    public static final ConfigKey<Integer> ATTR_DARK_CODE = declare(ConfigKey.scalar("attributes.dark-code", ValueType.INT)
            .in(Section.ATTRIBUTES).defaultFrom(() -> AttributeMapping.defaults().darkCode())
            .description("Numeric frame kind of dark frames."));

    public static final ConfigKey<String> DEFAULT_SCAN_ID = declare(ConfigKey.scalar("attributes.default-scan-id", ValueType.STRING)
            .in(Section.ATTRIBUTES).defaultFrom(() -> AttributeMapping.defaults().defaultScanId()).check(Check.notBlank())
            .description("Scan id given to frames whose sender sends none."));

    // ---------------------------------------------------------------- processing
    public static final ConfigKey<String> ELEMENT = declare(ConfigKey.scalar("element", ValueType.STRING)
            .in(Section.PROCESSING).defaultValue("Ni")
            .check(Check.described("one of " + String.join(", ", ElementPreset.knownElements()), v -> {
                try {
                    ElementPreset.of(v);
                    return null;
                } catch (IllegalArgumentException e) {
                    return "is not a known element preset (known: " + String.join(", ", ElementPreset.knownElements()) + ")";
                }
            }))
            .description("Absorption edge preset: edge energy, whiteline and edge windows (see the fit.* keys to override)."));

    public static final ConfigKey<List<ValueType.Reference>> REFERENCE = declare(ConfigKey.list("reference", ValueType.REFERENCE)
            .in(Section.PROCESSING).check(Check.references(FitSettings.MAX_REFERENCES))
            .description("Reference spectrum for linear combination fitting (repeatable; in YAML a list, or a map "
                    + "NAME: FILE): NAME=FILE, FILE, or builtin:NAME for the bundled Ni references. Each gives the maps "
                    + "fraction_NAME and fraction_NAME_sigma; none = no LCF maps. Files are loaded at start-up."));

    public static final ConfigKey<Double> FIT_EDGE_EV = declare(ConfigKey.scalar("fit.edge-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).check(Check.rangeDouble(100, 200_000))
            .description("Override of the preset's edge energy (eV), which places the pre-/post-edge normalization windows."));

    public static final ConfigKey<Double> FIT_WHITELINE_LO_EV = declare(ConfigKey.scalar("fit.whiteline-lo-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).check(Check.rangeDouble(100, 200_000))
            .description("Override of the lower end of the whiteline fit window (eV)."));

    public static final ConfigKey<Double> FIT_WHITELINE_HI_EV = declare(ConfigKey.scalar("fit.whiteline-hi-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).check(Check.rangeDouble(100, 200_000))
            .description("Override of the upper end of the whiteline fit window (eV)."));

    public static final ConfigKey<Double> FIT_EDGE_LO_EV = declare(ConfigKey.scalar("fit.edge-lo-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).check(Check.rangeDouble(100, 200_000))
            .description("Override of the lower end of the window searched for the edge (0.5 crossing), eV."));

    public static final ConfigKey<Double> FIT_EDGE_HI_EV = declare(ConfigKey.scalar("fit.edge-hi-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).check(Check.rangeDouble(100, 200_000))
            .description("Override of the upper end of the edge search window, eV."));

    public static final ConfigKey<Integer> FIT_WHITELINE_ORDER = declare(ConfigKey.scalar("fit.whiteline-order", ValueType.INT)
            .in(Section.PROCESSING).defaultFrom(() -> FitSettings.defaults(ElementPreset.of("Ni")).whitelineOrder())
            .check(Check.range(2, 3))
            .description("Polynomial order of the whiteline peak fit: 2 (quadratic) or 3 (cubic)."));

    public static final ConfigKey<Double> FIT_MASK_K = declare(ConfigKey.scalar("fit.mask-k", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> FitSettings.defaults(ElementPreset.of("Ni")).maskK())
            .check(Check.rangeDouble(0, 1000))
            .description("A pixel is trusted (mask = 1) when its edge jump exceeds this many pre-edge noise SDs."));

    public static final ConfigKey<Double> FIT_PRE_EDGE_GAP_EV = declare(ConfigKey.scalar("fit.pre-edge-gap-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> NormalizationWindows.defaults().preGapEv())
            .check(Check.rangeDouble(0, 10_000))
            .description("The pre-edge line is fitted over energies at or below edge − this (eV)."));

    public static final ConfigKey<Double> FIT_PRE_EDGE_WIDE_GAP_EV = declare(ConfigKey.scalar("fit.pre-edge-wide-gap-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> NormalizationWindows.defaults().preWideGapEv())
            .check(Check.rangeDouble(0, 10_000))
            .description("If that window has too few energies, it widens to edge − this (eV)."));

    public static final ConfigKey<Double> FIT_POST_EDGE_GAP_EV = declare(ConfigKey.scalar("fit.post-edge-gap-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> NormalizationWindows.defaults().postGapEv())
            .check(Check.rangeDouble(0, 10_000))
            .description("The post-edge line is fitted over energies at or above edge + this (eV)."));

    public static final ConfigKey<Double> FIT_POST_EDGE_WIDE_GAP_EV = declare(ConfigKey.scalar("fit.post-edge-wide-gap-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> NormalizationWindows.defaults().postWideGapEv())
            .check(Check.rangeDouble(0, 10_000))
            .description("If that window has too few energies, it widens to edge + this (eV)."));

    public static final ConfigKey<Double> ENERGY_TOLERANCE_EV = declare(ConfigKey.scalar("session.energy-tolerance-ev", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> SessionConfig.defaults().energyToleranceEv())
            .check(Check.rangeDouble(0.001, 100))
            .description("Frames whose energies differ by at most this belong to the same energy point."));

    public static final ConfigKey<Integer> SAMPLES_PER_POINT = declare(ConfigKey.scalar("session.samples-per-point", ValueType.INT)
            .in(Section.PROCESSING).defaultFrom(() -> SessionConfig.defaults().plannedSamplesPerPoint())
            .check(Check.range(0, 100_000))
            .description("Sample frames per energy (the scan's chunk size): an energy point completes as soon as it has "
                    + "them (and session.flats-per-point flats). 0 = unknown: a point completes when the next energy starts."));

    public static final ConfigKey<Integer> FLATS_PER_POINT = declare(ConfigKey.scalar("session.flats-per-point", ValueType.INT)
            .in(Section.PROCESSING).defaultFrom(() -> SessionConfig.defaults().plannedFlatsPerPoint())
            .check(Check.range(0, 100_000))
            .description("Flat frames per energy for early completion; 0 = flats are not taken at every energy."));

    public static final ConfigKey<Boolean> DRIFT_ENABLED = declare(ConfigKey.scalar("drift.enabled", ValueType.BOOLEAN)
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().enabled())
            .description("Estimate and correct the sample drift of every energy image (phase correlation)."));

    public static final ConfigKey<String> DRIFT_REFERENCE = declare(ConfigKey.scalar("drift.reference",
                    ValueType.choice("first", "running-mean"))
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().referenceMode() == DriftConfig.ReferenceMode.FIRST
                    ? "first" : "running-mean")
            .description("What each image is registered to: the scan's first image, or the mean of the images aligned so far."));

    public static final ConfigKey<Boolean> DRIFT_GRADIENT = declare(ConfigKey.scalar("drift.gradient", ValueType.BOOLEAN)
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().gradientFilter())
            .description("Correlate gradient magnitudes instead of intensities (insensitive to the contrast change across the edge)."));

    public static final ConfigKey<Integer> DRIFT_BIN = declare(ConfigKey.scalar("drift.bin", ValueType.INT)
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().bin()).check(Check.range(0, 16))
            .description("Binning of the image analysed for drift; 0 = automatic (longer side at most drift.max-analysis-px)."));

    public static final ConfigKey<Integer> DRIFT_MAX_ANALYSIS_PX = declare(ConfigKey.scalar("drift.max-analysis-px", ValueType.INT)
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().maxAnalysisSizePx()).check(Check.range(16, 8192))
            .description("Longest side of the analysed image under automatic binning."));

    public static final ConfigKey<String> DRIFT_ROI = declare(ConfigKey.scalar("drift.roi", ValueType.STRING)
            .in(Section.PROCESSING).defaultValue("full")
            .check(Check.pattern("full|[0-9]{1,5},[0-9]{1,5},[1-9][0-9]{0,4},[1-9][0-9]{0,4}", "full or X,Y,WIDTH,HEIGHT (pixels)"))
            .description("Region analysed for drift: `full`, or X,Y,WIDTH,HEIGHT of a region with stable features."));

    public static final ConfigKey<Double> DRIFT_RESOLUTION_PX = declare(ConfigKey.scalar("drift.resolution-px", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().resolutionPx()).check(Check.rangeDouble(0.001, 0.5))
            .description("Sub-pixel resolution of the drift estimate (upsampled DFT), pixels."));

    public static final ConfigKey<Double> DRIFT_MAX_JUMP_PX = declare(ConfigKey.scalar("drift.max-jump-px", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().maxJumpPx()).check(Check.rangeDouble(0.01, 100_000))
            .description("An estimate jumping more than this from the previous one is replaced by the previous one (counted)."));

    public static final ConfigKey<Double> DRIFT_MIN_CONFIDENCE = declare(ConfigKey.scalar("drift.min-confidence", ValueType.DOUBLE)
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().minConfidence()).check(Check.rangeDouble(0, 1))
            .description("An estimate below this confidence (0-1) is replaced by the previous one (counted)."));

    public static final ConfigKey<Boolean> DRIFT_CROSS_SCAN = declare(ConfigKey.scalar("drift.cross-scan", ValueType.BOOLEAN)
            .in(Section.PROCESSING).defaultFrom(() -> DriftConfig.defaults().crossScan())
            .description("Register each scan of an operando series to the previous scan, so maps over time overlay."));

    public static final ConfigKey<Duration> MAPS_INTERVAL = declare(ConfigKey.scalar("maps.interval", ValueType.DURATION_TYPE)
            .in(Section.PROCESSING).defaultFrom(() -> Duration.ofMillis(ProcessorConfig.defaults().mapsIntervalMs()))
            .check(Check.durationRange(Duration.ZERO, Duration.ofHours(1)))
            .description("Least time between two live maps computations of a scan (0 = after every energy point); the "
                    + "final maps are always computed. Publication is further limited by kafka.live-map-interval."));

    public static final ConfigKey<Integer> THREADS = declare(ConfigKey.scalar("processor.threads", ValueType.INT)
            .in(Section.PROCESSING).defaultFrom(() -> Runtime.getRuntime().availableProcessors(), "number of cores")
            .check(Check.range(1, 256))
            .description("Threads for the per-pixel work (rows are split across them); default: the number of cores."));

    public static final ConfigKey<Integer> WARM_UP_SCANS = declare(ConfigKey.scalar("processor.warm-up-scans", ValueType.INT)
            .in(Section.PROCESSING).defaultFrom(() -> ProcessorConfig.DEFAULT_WARM_UP_SCANS).check(Check.range(0, 100))
            .description("Synthetic scans run through the processing path at start-up, before the receiver opens, so "
                    + "the JIT has compiled the per-pixel kernels when the first real frame arrives (cold, the first tens "
                    + "of energy points run several times slower): 128x128 pixels, and the last one 512x512 if there are "
                    + "two or more (some loops only compile on larger images); takes seconds (8-15 s on 2 cores, mostly "
                    + "JIT compilation). With the embedded broker the last scan's results are also published, to temporary "
                    + "topics xanestream-warm-up.* deleted afterwards, so the Kafka code is compiled too. 0 = none."));

    public static final ConfigKey<Path> OUTPUT_DIR = declare(ConfigKey.scalar("output-dir", ValueType.PATH)
            .in(Section.PROCESSING)
            .description("If set, every finished scan is also written to OUTPUT_DIR/SCAN_ID.h5 (docs/result-files.md); "
                    + "the directory is created if missing."));

    // ---------------------------------------------------------------- kafka
    public static final ConfigKey<String> KAFKA_BOOTSTRAP = declare(ConfigKey.scalar("kafka.bootstrap", ValueType.STRING)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().bootstrapServers())
            .check(Check.pattern("embedded|[A-Za-z0-9._-]+:[0-9]{1,5}(,[A-Za-z0-9._-]+:[0-9]{1,5})*",
                    "HOST:PORT[,HOST:PORT...] or embedded"))
            .description("Kafka bootstrap servers, or `embedded` to start a single-node broker inside the process "
                    + "(see kafka.embedded-*). If the broker is unreachable, results are buffered (kafka.queue-*) and "
                    + "delivered when it returns; /health reports `degraded`."));

    public static final ConfigKey<String> KAFKA_TOPIC_PREFIX = declare(ConfigKey.scalar("kafka.topic-prefix", ValueType.STRING)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().topicPrefix())
            .check(Check.pattern("[A-Za-z0-9._-]{1,200}", "1 to 200 letters, digits, . _ -"))
            .description("Topic names are PREFIX.scans, PREFIX.points, PREFIX.images, PREFIX.maps, PREFIX.rejected "
                    + "(docs/kafka-topics.md)."));

    public static final ConfigKey<String> KAFKA_CLIENT_ID = declare(ConfigKey.scalar("kafka.client-id", ValueType.STRING)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().clientId()).check(Check.notBlank())
            .description("Producer client id (broker logs, quotas)."));

    public static final ConfigKey<Boolean> KAFKA_CREATE_TOPICS = declare(ConfigKey.scalar("kafka.create-topics", ValueType.BOOLEAN)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().createTopics())
            .description("Create missing topics at start (with kafka.partitions, kafka.replication-factor and the retentions)."));

    public static final ConfigKey<Integer> KAFKA_PARTITIONS = declare(ConfigKey.scalar("kafka.partitions", ValueType.INT)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().partitions()).check(Check.range(1, 10_000))
            .description("Partitions of created topics (a scan's records share its key and stay in one partition)."));

    public static final ConfigKey<Integer> KAFKA_REPLICATION = declare(ConfigKey.scalar("kafka.replication-factor", ValueType.INT)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().replicationFactor())
            .check(Check.described("-1 or 1 to 32767", v -> v == -1 || (v >= 1 && v <= Short.MAX_VALUE) ? null
                    : "must be -1 (broker default) or 1 to 32767"))
            .description("Replication factor of created topics; -1 = the broker's default."));

    public static final ConfigKey<Duration> KAFKA_RETENTION = declare(ConfigKey.scalar("kafka.retention", ValueType.RETENTION)
            .in(Section.KAFKA).defaultFrom(() -> retention(KafkaPublisherConfig.defaults().retentionMs()))
            .check(Check.described("at least 1m, or forever", d -> ValueType.FOREVER.equals(d) || d.toMillis() >= 60_000
                    ? null : "must be at least 1m, or forever"))
            .description("Retention of the JSON topics (scans, points, rejected) when created."));

    public static final ConfigKey<Duration> KAFKA_BINARY_RETENTION = declare(ConfigKey.scalar("kafka.binary-retention", ValueType.RETENTION)
            .in(Section.KAFKA).defaultFrom(() -> retention(KafkaPublisherConfig.defaults().binaryRetentionMs()))
            .check(Check.described("at least 1m, or forever", d -> ValueType.FOREVER.equals(d) || d.toMillis() >= 60_000
                    ? null : "must be at least 1m, or forever"))
            .description("Retention of the binary topics (images, maps) when created; they hold tens of MB per scan."));

    public static final ConfigKey<String> KAFKA_COMPRESSION = declare(ConfigKey.scalar("kafka.compression",
                    ValueType.choice("none", "lz4", "zstd", "snappy", "gzip"))
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().compression())
            .description("Producer compression. Noisy float32 images barely compress; `none` saves CPU."));

    public static final ConfigKey<Long> KAFKA_MAX_RECORD_BYTES = declare(ConfigKey.scalar("kafka.max-record-bytes", ValueType.BYTES)
            .in(Section.KAFKA).defaultFrom(() -> (long) KafkaPublisherConfig.defaults().maxRecordValueBytes())
            .check(Check.rangeLong(64 << 10, KafkaPublisherConfig.MAX_RECORD_VALUE_LIMIT))
            .description("Maps and images are cut into row bands so that no record value exceeds this."));

    public static final ConfigKey<Integer> KAFKA_LIVE_MAP_MAX_SIDE = declare(ConfigKey.scalar("kafka.live-map-max-side", ValueType.INT)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().liveMapMaxSide())
            .check(Check.described("0, or 16 to 65536", v -> v == 0 || (v >= 16 && v <= 65536) ? null
                    : "must be 0 (never bin) or 16 to 65536"))
            .description("Live (non-final) maps of larger scans are the fits of the stack binned by the smallest integer "
                    + "factor that brings both sides to at most this (NaN-aware block means of the aligned images: bin^2 "
                    + "fewer spectra to fit, each with bin^2 the counts), so they can follow every energy point; 0 = live "
                    + "maps fitted and published at full resolution. Final maps are always full resolution."));

    public static final ConfigKey<Duration> KAFKA_LIVE_MAP_INTERVAL = declare(ConfigKey.scalar("kafka.live-map-interval", ValueType.DURATION_TYPE)
            .in(Section.KAFKA).defaultFrom(() -> Duration.ofMillis(KafkaPublisherConfig.defaults().liveMapMinIntervalMs()))
            .check(Check.durationRange(Duration.ZERO, Duration.ofHours(1)))
            .description("At most one live publication per map per this interval; 0 = every update."));

    public static final ConfigKey<Integer> KAFKA_IMAGE_MAX_SIDE = declare(ConfigKey.scalar("kafka.image-max-side", ValueType.INT)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().imageMaxSide())
            .check(Check.described("0, or 16 to 65536", v -> v == 0 || (v >= 16 && v <= 65536) ? null
                    : "must be 0 (never bin) or 16 to 65536"))
            .description("Energy images are binned so neither side exceeds this; 0 = never bin."));

    public static final ConfigKey<Duration> KAFKA_IMAGE_INTERVAL = declare(ConfigKey.scalar("kafka.image-interval", ValueType.DURATION_TYPE)
            .in(Section.KAFKA).defaultFrom(() -> Duration.ofMillis(KafkaPublisherConfig.defaults().imageMinIntervalMs()))
            .check(Check.durationRange(Duration.ZERO, Duration.ofHours(1)))
            .description("At most one energy image per scan per this interval (newer ones supersede waiting ones; the "
                    + "last of a scan is always published); 0 = every image."));

    public static final ConfigKey<Duration> KAFKA_PROGRESS_INTERVAL = declare(ConfigKey.scalar("kafka.progress-interval", ValueType.DURATION_TYPE)
            .in(Section.KAFKA).defaultFrom(() -> Duration.ofMillis(KafkaPublisherConfig.defaults().progressIntervalMs()))
            .check(Check.durationRange(Duration.ofMillis(100), Duration.ofHours(1)))
            .description("A `progress` record per open scan every this often."));

    public static final ConfigKey<Integer> KAFKA_QUEUE_CAPACITY = declare(ConfigKey.scalar("kafka.queue-capacity", ValueType.INT)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().queueCapacity())
            .check(Check.range(16, 1_000_000))
            .description("Events the publisher buffers while Kafka is slow or down; beyond it, load is shed by policy "
                    + "(counted in xanestream_kafka_records_total{outcome=\"dropped\"})."));

    public static final ConfigKey<Long> KAFKA_QUEUE_BYTES = declare(ConfigKey.scalar("kafka.queue-bytes", ValueType.BYTES)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().queueMaxBytes())
            .check(Check.rangeLong(1L << 20, 1L << 40))
            .description("Pixel bytes (maps, images) the publisher buffers while Kafka is slow or down."));

    public static final ConfigKey<Long> KAFKA_INFLIGHT_BYTES = declare(ConfigKey.scalar("kafka.inflight-bytes", ValueType.BYTES)
            .in(Section.KAFKA).defaultFrom(() -> KafkaPublisherConfig.defaults().maxInFlightBytes())
            .check(Check.rangeLong(2L << 20, 1L << 30))
            .description("Record bytes handed to the producer and not yet acknowledged."));

    public static final ConfigKey<Duration> KAFKA_DELIVERY_TIMEOUT = declare(ConfigKey.scalar("kafka.delivery-timeout", ValueType.DURATION_TYPE)
            .in(Section.KAFKA).defaultFrom(() -> Duration.ofMillis(KafkaPublisherConfig.defaults().deliveryTimeoutMs()))
            .check(Check.durationRange(Duration.ofMinutes(1), Duration.ofMillis(Integer.MAX_VALUE)))
            .description("How long a record is retried (e.g. across a broker outage) before it counts as failed."));

    public static final ConfigKey<Path> KAFKA_EMBEDDED_DIR = declare(ConfigKey.scalar("kafka.embedded-dir", ValueType.PATH)
            .in(Section.KAFKA)
            .description("With kafka.bootstrap `embedded`: the broker's data directory (kept across runs); default: a "
                    + "temporary directory deleted at exit."));

    public static final ConfigKey<Integer> KAFKA_EMBEDDED_PORT = declare(ConfigKey.scalar("kafka.embedded-port", ValueType.INT)
            .in(Section.KAFKA).defaultFrom(() -> EmbeddedBrokerConfig.defaults().port()).check(Check.range(0, 65535))
            .description("With kafka.bootstrap `embedded`: client port on 127.0.0.1; 0 picks a free port (printed at start)."));

    public static final ConfigKey<Long> KAFKA_EMBEDDED_RETENTION_BYTES = declare(ConfigKey.scalar("kafka.embedded-retention-bytes", ValueType.BYTES)
            .in(Section.KAFKA).defaultFrom(() -> EmbeddedBrokerConfig.defaults().retentionBytes())
            .check(Check.rangeLong(1L << 20, 1L << 50))
            .description("With kafka.bootstrap `embedded`: bytes kept per partition (bounds the disk use of a long demo)."));

    // ---------------------------------------------------------------- http
    public static final ConfigKey<String> HTTP_HOST = declare(ConfigKey.scalar("http.host", ValueType.STRING)
            .in(Section.HTTP).defaultFrom(() -> OpsHttpConfig.defaults().host()).check(Check.notBlank())
            .description("Interface of the /health and /metrics server; 0.0.0.0 to let Prometheus scrape from other hosts."));

    public static final ConfigKey<Integer> HTTP_PORT = declare(ConfigKey.scalar("http.port", ValueType.INT)
            .in(Section.HTTP).defaultFrom(() -> OpsHttpConfig.defaults().port()).check(Check.range(0, 65535))
            .description("Port of the /health and /metrics server; 0 picks a free port (printed at start)."));

    // ---------------------------------------------------------------- demo
    public static final ConfigKey<Integer> DEMO_SCANS = declare(ConfigKey.scalar("demo.scans", ValueType.INT)
            .in(Section.DEMO).defaultValue(3).check(Check.range(1, 10_000))
            .description("Scans in the simulated operando series."));

    public static final ConfigKey<Integer> DEMO_SIZE = declare(ConfigKey.scalar("demo.size", ValueType.INT)
            .in(Section.DEMO).defaultValue(512).check(Check.range(64, 4096))
            .description("Width and height of the simulated detector frames (pixels)."));

    public static final ConfigKey<Double> DEMO_FRAME_RATE = declare(ConfigKey.scalar("demo.frame-rate", ValueType.DOUBLE)
            .in(Section.DEMO).defaultValue(40.0).check(Check.rangeDouble(0, 100_000))
            .description("Frames per second the simulator sends (the FXI beamline takes about 20); 0 = as fast as "
                    + "the processor takes them."));

    public static final ConfigKey<Long> DEMO_SEED = declare(ConfigKey.scalar("demo.seed", ValueType.LONG)
            .in(Section.DEMO).defaultValue(1L)
            .description("Seed of the simulated sample and noise: the same seed gives the same frames."));

    public static final ConfigKey<Integer> DEMO_DASHBOARD_PORT = declare(ConfigKey.scalar("demo.dashboard-port", ValueType.INT)
            .in(Section.DEMO).defaultFrom(() -> DashboardConfig.defaults().httpPort()).check(Check.range(0, 65535))
            .description("Port of the live dashboard (on http.host); 0 picks a free port."));

    // ---------------------------------------------------------------- logging
    public static final ConfigKey<String> LOG_LEVEL = declare(ConfigKey.scalar("log.level",
                    ValueType.choice("error", "warn", "info", "debug", "trace"))
            .in(Section.LOGGING).defaultValue("info")
            .description("Console log level."));

    private static Duration retention(long ms) {
        return ms < 0 ? ValueType.FOREVER : Duration.ofMillis(ms);
    }

    /** Every key, in documentation order. */
    public static List<ConfigKey<?>> keys() {
        return Collections.unmodifiableList(KEYS);
    }

    /** The key of that name, or {@code null}. */
    public static ConfigKey<?> key(String name) {
        for (ConfigKey<?> k : KEYS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** Keys of the given sections, in documentation order. */
    public static List<ConfigKey<?>> keys(Set<Section> sections) {
        List<ConfigKey<?>> out = new ArrayList<>();
        for (ConfigKey<?> k : KEYS) {
            if (sections.contains(k.section())) {
                out.add(k);
            }
        }
        return out;
    }

    /** The sections of {@code xanestream run}. */
    public static final Set<Section> RUN_SECTIONS = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(Section.DEMO)));

    /** The sections of {@code xanestream demo}: no input (the built-in simulator feeds it), no attribute names. */
    public static final Set<Section> DEMO_SECTIONS = Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(Section.INPUT, Section.ATTRIBUTES)));

    /** Defaults that differ for {@code xanestream demo}, as text values. */
    public static final Map<ConfigKey<?>, List<String>> DEMO_DEFAULTS = Map.of(
            KAFKA_BOOTSTRAP, List.of("embedded"),
            REFERENCE, List.of("builtin:NiO", "builtin:LiNiO2"),
            // the built-in simulator takes chunk-size samples and flats per energy: points complete at once
            SAMPLES_PER_POINT, List.of(Integer.toString(AcquisitionConfig.defaults().chunkSize())),
            FLATS_PER_POINT, List.of(Integer.toString(AcquisitionConfig.defaults().chunkSize())));

    // ---------------------------------------------------------------- resolved values
    private final Set<Section> sections;
    private final Map<ConfigKey<?>, Object> values;
    private final Map<ConfigKey<?>, String> origins;

    XanestreamConfig(Set<Section> sections, Map<ConfigKey<?>, Object> values, Map<ConfigKey<?>, String> origins) {
        this.sections = Collections.unmodifiableSet(EnumSet.copyOf(sections));
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
    }

    /**
     * The value of a key of one of this configuration's sections.
     *
     * @return the value, or {@code null} for an optional key that is not set
     * @throws IllegalArgumentException if the key's section is not part of this configuration (a bug)
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (!sections.contains(key.section())) {
            throw new IllegalArgumentException("key " + key.name() + " is not part of this command's configuration");
        }
        return (T) values.get(key);
    }

    /** Where the value of a key came from: {@code default}, the file name, or the command-line option. */
    public String origin(ConfigKey<?> key) {
        return origins.getOrDefault(key, "default");
    }

    /** The sections resolved. */
    public Set<Section> sections() {
        return sections;
    }

    /**
     * The effective configuration as YAML-compatible {@code key: value  # origin} lines, for
     * {@code --print-config} and the start-up log.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (ConfigKey<?> k : keys(sections)) {
            Object v = values.get(k);
            String text;
            if (v == null) {
                text = "~";
            } else if (k.repeatable()) {
                List<?> list = (List<?>) v;
                text = list.isEmpty() ? "[]" : "[" + ((ConfigKey) k).format(v) + "]";
            } else {
                text = quoteIfNeeded(((ConfigKey) k).format(v));
            }
            sb.append(k.name()).append(": ").append(text).append("   # ").append(origin(k)).append('\n');
        }
        return sb.toString();
    }

    private static String quoteIfNeeded(String s) {
        if (s.isEmpty() || s.contains(": ") || s.contains("#") || s.startsWith("*") || s.startsWith("[")) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return s;
    }
}
