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
import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;
import org.xanestream.ingest.dectris.DectrisEncoderConfig;
import org.xanestream.ingest.dectris.DectrisStreamEncoder;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
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
    private static final int SIZE = 256;
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
        runAndCheck("adzmq", "e2e-adzmq", new AdZmqEncoder(AdZmqEncoderConfig.defaults()));
    }

    @Test
    void dectrisScanThroughRunPipelineAndKafkaMatchesTheSimulatorTruth() throws Exception {
        runAndCheck("dectris1", "e2e-dectris", new DectrisStreamEncoder(DectrisEncoderConfig.defaults()));
    }

    private void runAndCheck(String protocol, String prefix, FrameEncoder encoder) throws Exception {
        try (XanesSimulator sim = simulator(1);
             Pipeline pipeline = Pipeline.start(settings(protocol, prefix))) {
            try (ZmqSink sink = new ZmqSink(pipeline.receiverEndpoint(), encoder)) {
                sim.stream(sink, StreamOptions.quiet(Clock.systemUTC()));
            }
            String scanId = sim.scanId(0);
            JsonNode end = awaitScanEnd(pipeline.kafkaBootstrap(), prefix + ".scans", scanId, Duration.ofMinutes(3));
            long frames = sim.plan().frames(0).size();
            assertEquals(frames, end.get("frames_received").asLong(), end.toString());
            assertEquals(0, end.get("frames_rejected").asLong(), end.toString());
            assertEquals(sim.energiesEv().length, end.get("energies_done").asInt(), end.toString());

            Accuracy a = accuracy(sim, pipeline.kafkaBootstrap(), prefix, scanId);
            System.out.println(protocol + " end-to-end " + SIZE + "x" + SIZE + ": " + a);
            assertTrue(a.driftRmsPx <= 0.1, "drift RMS " + a);
            assertTrue(a.whitelineMedianEv <= 0.15, "whiteline " + a);
            assertTrue(a.fractionMedian <= 0.05, "LCF fraction " + a);
            assertTrue(a.backgroundNanShare >= 0.99, "NaN outside particles " + a);
            assertTrue(a.particleFiniteShare >= 0.95, "values inside particles " + a);

            String metrics = http("http://127.0.0.1:" + pipeline.httpPort() + "/metrics");
            assertTrue(metricValue(metrics, "xanestream_frames_received_total") >= frames, metrics);
            assertEquals(sim.energiesEv().length, (long) metricValue(metrics, "xanestream_energy_points_total"));
            assertTrue(metricValue(metrics, "xanestream_energy_point_seconds_count") > 0, metrics);
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

    record Accuracy(int points, double driftRmsPx, double whitelineMedianEv, double fractionMedian,
                    double backgroundNanShare, double particleFiniteShare, int particlePixels) {
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
        float[] thickness = truth.staticMaps().get(GroundTruth.THICKNESS_UM);
        float[] wlTruth = st.map(GroundTruth.WHITELINE_EV);
        float[] fracTruth = st.map(GroundTruth.FRACTION_OX);
        List<Double> wlErr = new ArrayList<>();
        List<Double> fracErr = new ArrayList<>();
        int background = 0;
        int backgroundNan = 0;
        int particle = 0;
        int particleFinite = 0;
        for (int i = 0; i < wl.length; i++) {
            if (!(thickness[i] > 0)) {
                background++;
                if (Float.isNaN(wl[i])) {
                    backgroundNan++;
                }
                continue;
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
                background == 0 ? 1 : (double) backgroundNan / background,
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
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    /** Sum of every sample of a metric (all label sets). */
    static double metricValue(String text, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
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
