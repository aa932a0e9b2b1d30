package org.xanestream.deploy.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xanestream.deploy.config.ConfigKey;
import org.xanestream.deploy.config.ConfigResolver;
import org.xanestream.deploy.config.XanestreamConfig;
import org.xanestream.deploy.pipeline.Pipeline;
import org.xanestream.deploy.pipeline.PipelineSettings;
import org.xanestream.ingest.adzmq.AdZmqEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;
import org.xanestream.ingest.zmq.ZmqFrameSender;
import org.xanestream.ingest.zmq.ZmqSenderConfig;
import org.xanestream.ingest.zmq.ZmqSenderMode;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.sink.ZmqFrameSink;
import org.xanestream.simulators.truth.GroundTruth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xanestream.deploy.config.XanestreamConfig.*;

/**
 * The product end to end: the simulator streams a scan over real ZeroMQ (tcp loopback) into the {@code run}
 * pipeline (configured through the same keys as the command line), which publishes to a real embedded Kafka
 * broker; a plain Kafka consumer reassembles the final maps and the test compares them with the simulator's
 * ground truth at the processor issue's accuracy bars.
 */
class EndToEndPipelineTest {
    private static final int SIZE = 512;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(EmbeddedBrokerConfig.defaults());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Pipeline settings from configuration keys, exactly as {@code xanestream run --KEY VALUE ...} would make them. */
    static PipelineSettings settings(String protocol, String prefix) throws Exception {
        Map<ConfigKey<?>, ConfigResolver.Raw> cli = new LinkedHashMap<>();
        put(cli, ZMQ_MODE, "bind");
        put(cli, ZMQ_ENDPOINT, "tcp://127.0.0.1:*");
        put(cli, PROTOCOL, protocol);
        put(cli, KAFKA_BOOTSTRAP, broker.bootstrapServers());
        put(cli, KAFKA_TOPIC_PREFIX, prefix);
        put(cli, HTTP_PORT, "0");
        put(cli, SAMPLES_PER_POINT, "5");
        put(cli, FLATS_PER_POINT, "5");
        put(cli, THREADS, "2");
        put(cli, WARM_UP_SCANS, "1"); // exercised here; the default (3) only adds start-up time
        cli.put(REFERENCE, new ConfigResolver.Raw(List.of("builtin:NiO", "builtin:LiNiO2"), "--reference"));
        XanestreamConfig c = ConfigResolver.resolve(RUN_SECTIONS, null, cli, Map.of());
        return PipelineSettings.of(c);
    }

    private static void put(Map<ConfigKey<?>, ConfigResolver.Raw> cli, ConfigKey<?> key, String value) {
        cli.put(key, new ConfigResolver.Raw(List.of(value), key.option()));
    }

    static XanesSimulator simulator(int scans) throws Exception {
        return XanesSimulator.create(SimulatorConfig.defaults().withSize(SIZE, SIZE).withSeed(11)
                .withAcquisition(AcquisitionConfig.defaults().withScans(scans)));
    }

    @Test
    void adzmqScanThroughRunPipelineAndKafkaMatchesTheSimulatorTruth() throws Exception {
        runAndCheck("adzmq", "e2e-adzmq", ZmqFrameSink.Protocol.ADZMQ);
    }

    @Test
    void dectrisScanThroughRunPipelineAndKafkaMatchesTheSimulatorTruth() throws Exception {
        runAndCheck("dectris1", "e2e-dectris", ZmqFrameSink.Protocol.DECTRIS1);
    }

    static ZmqFrameSink sink(ZmqFrameSink.Protocol protocol, String endpoint) {
        return ZmqFrameSink.open(protocol, ZmqSenderConfig.defaults().withEndpoint(endpoint, ZmqSenderMode.PUSH_CONNECT)
                .withLingerMs(60_000), 60_000, null);
    }

    private void runAndCheck(String protocol, String prefix, ZmqFrameSink.Protocol wire) throws Exception {
        try (XanesSimulator sim = simulator(1);
             Pipeline pipeline = Pipeline.start(settings(protocol, prefix))) {
            long t0 = System.nanoTime();
            try (ZmqFrameSink sink = sink(wire, pipeline.receiverEndpoint())) {
                sim.stream(sink, StreamOptions.quiet(Clock.systemUTC()));
            }
            long t1 = System.nanoTime();
            String scanId = sim.scanId(0);
            JsonNode end;
            try {
                end = awaitScanEnd(pipeline.kafkaBootstrap(), prefix + ".scans", scanId, Duration.ofMinutes(10));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; pipeline health " + pipeline.health(), e);
            }
            System.out.printf("%s: streamed in %.1f s, scan end on Kafka %.1f s later%n", protocol, (t1 - t0) / 1e9,
                    (System.nanoTime() - t1) / 1e9);
            long frames = sim.plan().frames(0).size();
            assertEquals(frames, end.get("frames_received").asLong(), end.toString());
            assertEquals(0, end.get("frames_rejected").asLong(), end.toString());
            assertEquals(sim.energiesEv().length, end.get("energies_done").asInt(), end.toString());

            Accuracy a = accuracy(sim, pipeline.kafkaBootstrap(), prefix, scanId);
            System.out.println(protocol + " end-to-end " + SIZE + "x" + SIZE + ": " + a);
            assertTrue(a.driftRmsPx <= 0.1, "drift RMS " + a);
            assertTrue(a.whitelineMedianEv <= 0.15, "whiteline " + a);
            assertTrue(a.fractionMedian <= 0.05, "LCF fraction " + a);
            assertTrue(a.backgroundUntrustedShare >= 0.99, "NaN or untrusted outside particles " + a);
            assertTrue(a.particleFiniteShare >= 0.95, "values inside particles " + a);

            String metrics = http("http://127.0.0.1:" + pipeline.httpPort() + "/metrics");
            assertTrue(metricValue(metrics, "xanestream_frames_received_total") >= frames, metrics);
            assertEquals(sim.energiesEv().length, (long) metricValue(metrics, "xanestream_energy_points_total"));
            assertTrue(metricValue(metrics, "xanestream_energy_point_seconds_count") > 0, metrics);
        }
    }

    @Test
    void malformedMessagesGoToTheRejectedTopicAndMetricsWhileTheStreamGoesOn() throws Exception {
        String prefix = "e2e-rejects";
        try (XanesSimulator sim = XanesSimulator.create(SimulatorConfig.defaults().withSize(64, 64).withSeed(3)
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(1)));
             Pipeline pipeline = Pipeline.start(settings("adzmq", prefix))) {
            byte[] px = new byte[64 * 64 * 2];
            String header = "{\"htype\":\"array-1.0\",\"type\":\"uint16\",\"shape\":[64,64],\"frame\":1,"
                    + "\"ndattr\":{\"Energy\":8.333,\"FrameType\":\"Projection\",\"ScanId\":\"bad\"}}";
            Map<String, List<byte[]>> bad = new LinkedHashMap<>();
            bad.put("bad_parts", List.of("hello".getBytes(StandardCharsets.UTF_8)));
            bad.put("bad_json", List.of("{not json".getBytes(StandardCharsets.UTF_8), px));
            bad.put("bad_htype", List.of(header.replace("array-1.0", "array-9.9").getBytes(StandardCharsets.UTF_8), px));
            bad.put("size_mismatch", List.of(header.getBytes(StandardCharsets.UTF_8), new byte[10]));
            bad.put("bad_energy", List.of(header.replace("8.333", "\"NaN\"").getBytes(StandardCharsets.UTF_8), px));
            try (ZmqFrameSender raw = new ZmqFrameSender(ZmqSenderConfig.defaults()
                    .withEndpoint(pipeline.receiverEndpoint(), ZmqSenderMode.PUSH_CONNECT).withSendTimeoutMs(30_000)
                    .withLingerMs(60_000),
                    new AdZmqEncoder(AdZmqEncoderConfig.defaults()))) {
                for (List<byte[]> message : bad.values()) {
                    assertTrue(raw.sendMessage(message));
                }
                // then a valid scan on the same connection
                sim.stream(new ForwardingSink(raw), StreamOptions.quiet(Clock.systemUTC()));
            }
            JsonNode end = awaitScanEnd(pipeline.kafkaBootstrap(), prefix + ".scans", sim.scanId(0), Duration.ofMinutes(5));
            assertEquals(sim.plan().frames(0).size(), end.get("frames_received").asLong(), "the stream went on intact");

            List<String> reasons = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(pipeline.kafkaBootstrap(), prefix + ".rejected")) {
                JsonNode j = TopicReader.json(r);
                reasons.add(j.get("reason").asText());
                assertEquals(pipeline.receiverEndpoint(), TopicReader.key(r), "keyed by the source endpoint");
                assertTrue(j.get("detail").asText().length() > 0, j.toString());
            }
            assertEquals(List.copyOf(bad.keySet()), reasons);

            String metrics = http("http://127.0.0.1:" + pipeline.httpPort() + "/metrics");
            for (String reason : bad.keySet()) {
                assertEquals(1.0, metricValue(metrics, "xanestream_frames_rejected_total{endpoint=\""
                        + pipeline.receiverEndpoint() + "\",reason=\"" + reason + "\"}"), reason);
            }
            assertEquals(bad.size(), (long) metricValue(metrics, "xanestream_frames_rejected_total"));
            assertTrue(metricValue(metrics, "xanestream_kafka_records_total{outcome=\"sent\",topic=\"" + prefix
                    + ".rejected\"}") >= bad.size(), metrics);
            JsonNode health = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    http("http://127.0.0.1:" + pipeline.httpPort() + "/health"));
            assertEquals(bad.size(), health.at("/counters/frames_rejected").asInt(), health.toString());
        }
    }

    /** A {@link org.xanestream.simulators.sink.FrameSink} over an already open sender. */
    private record ForwardingSink(ZmqFrameSender sender) implements org.xanestream.simulators.sink.FrameSink {
        @Override
        public void beginScan(String scanId, int width, int height, org.xanestream.ingest.PixelType type) {
            assertTrue(sender.beginScan(scanId, width, height, type));
        }

        @Override
        public void sendFrame(org.xanestream.ingest.FrameHeader header, java.nio.ByteBuffer pixels) {
            assertTrue(sender.sendFrame(header, pixels));
        }

        @Override
        public void endScan(String scanId) {
            assertTrue(sender.endScan(scanId));
        }

        @Override
        public void close() {
        }
    }

    /** Polls the scans topic until the {@code end} record of the scan arrives. */
    static JsonNode awaitScanEnd(String bootstrap, String topic, String scanId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, topic)) {
                JsonNode j = TopicReader.json(r);
                if ("end".equals(j.path("type").asText()) && scanId.equals(j.path("scan_id").asText())) {
                    return j;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no end record for scan " + scanId + " on " + topic + " within " + timeout);
    }

    /**
     * @param backgroundUntrustedShare share of background pixels (farther than {@link #BACKGROUND_MARGIN_PX} from
     *                                 any particle) whose maps are NaN or marked untrusted ({@code mask} 0)
     * @param particleFiniteShare      share of particle pixels with finite whiteline and LCF maps
     */
    record Accuracy(int points, double driftRmsPx, double whitelineMedianEv, double fractionMedian,
                    double backgroundUntrustedShare, double particleFiniteShare, int particlePixels) {
    }

    /** Pixels this close to a particle see it through drift interpolation: excluded from the background check. */
    static final int BACKGROUND_MARGIN_PX = 3;

    /** Pixels within {@code r} (Chebyshev distance) of a pixel with positive thickness. */
    static boolean[] dilate(float[] thickness, int w, int h, int r) {
        boolean[] out = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (thickness[y * w + x] > 0) {
                    for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                        for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                            out[yy * w + xx] = true;
                        }
                    }
                }
            }
        }
        return out;
    }

    static Accuracy accuracy(XanesSimulator sim, String bootstrap, String prefix, String scanId) {
        GroundTruth truth = sim.groundTruth();
        GroundTruth.ScanTruth st = truth.scans().get(0);
        // Drift: the scan's reference is its first energy image; truth is relative to the series' first energy.
        List<JsonNode> points = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(bootstrap, prefix + ".points")) {
            JsonNode j = TopicReader.json(r);
            if (scanId.equals(j.path("scan_id").asText())) {
                points.add(j);
            }
        }
        double sq = 0;
        for (JsonNode p : points) {
            int e = nearest(st.energiesEv(), p.get("energy_ev").asDouble());
            double tx = st.driftXPx()[e] - st.driftXPx()[0];
            double ty = st.driftYPx()[e] - st.driftYPx()[0];
            double dx = p.get("drift_x_px").asDouble() - tx;
            double dy = p.get("drift_y_px").asDouble() - ty;
            sq += dx * dx + dy * dy;
        }
        double driftRms = Math.sqrt(sq / points.size());

        MapAssembler maps = MapAssembler.of(TopicReader.readAll(bootstrap, prefix + ".maps"));
        float[] wl = finalMap(maps, scanId, "whiteline_ev");
        float[] frac = finalMap(maps, scanId, "fraction_LiNiO2");
        float[] mask = finalMap(maps, scanId, "mask");
        float[] thickness = truth.staticMaps().get(GroundTruth.THICKNESS_UM);
        float[] wlTruth = st.map(GroundTruth.WHITELINE_EV);
        float[] fracTruth = st.map(GroundTruth.FRACTION_OX);
        List<Double> wlErr = new ArrayList<>();
        List<Double> fracErr = new ArrayList<>();
        boolean[] nearParticle = dilate(thickness, truth.width(), truth.height(), BACKGROUND_MARGIN_PX);
        int background = 0;
        int backgroundUntrusted = 0;
        int particle = 0;
        int particleFinite = 0;
        for (int i = 0; i < wl.length; i++) {
            if (!nearParticle[i]) {
                background++;
                if (Float.isNaN(wl[i]) || mask[i] != 1f) {
                    backgroundUntrusted++;
                }
                continue;
            }
            if (!(thickness[i] > 0)) {
                continue; // the blurred, drift-interpolated rim: neither particle nor background
            }
            particle++;
            if (Float.isFinite(wl[i]) && Float.isFinite(frac[i])) {
                particleFinite++;
            }
            if (Float.isFinite(wlTruth[i]) && Float.isFinite(wl[i])) {
                wlErr.add((double) Math.abs(wl[i] - wlTruth[i]));
            }
            if (Float.isFinite(fracTruth[i]) && Float.isFinite(frac[i])) {
                fracErr.add((double) Math.abs(frac[i] - fracTruth[i]));
            }
        }
        return new Accuracy(points.size(), driftRms, median(wlErr), median(fracErr),
                background == 0 ? 1 : (double) backgroundUntrusted / background,
                particle == 0 ? 0 : (double) particleFinite / particle, particle);
    }

    private static float[] finalMap(MapAssembler maps, String scanId, String name) {
        MapAssembler.Assembled a = maps.latest(scanId, name);
        assertNotNull(a, "final map " + name + " of " + scanId);
        assertTrue(a.isFinal(), name + " is the final publication");
        assertEquals(SIZE, a.width());
        assertEquals(SIZE, a.height());
        return a.pixels();
    }

    private static int nearest(double[] energies, double e) {
        int best = 0;
        for (int i = 1; i < energies.length; i++) {
            if (Math.abs(energies[i] - e) < Math.abs(energies[best] - e)) {
                best = i;
            }
        }
        return best;
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        Arrays.sort(a);
        return a[a.length / 2];
    }

    static String http(String url) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    /** Sum of every sample of a metric (all label sets). */
    static double metricValue(String text, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || (!name.endsWith("}") && line.startsWith(name + "{"))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("metric " + name + " not exposed");
        }
        return sum;
    }
}
