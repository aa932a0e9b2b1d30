package org.xanestream.deploy.hdf5;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.deploy.config.ConfigKey;
import org.xanestream.deploy.config.ConfigResolver;
import org.xanestream.deploy.config.XanestreamConfig;
import org.xanestream.deploy.kafka.EmbeddedBrokerConfig;
import org.xanestream.deploy.kafka.EmbeddedKafkaBroker;
import org.xanestream.deploy.kafka.MapAssembler;
import org.xanestream.deploy.kafka.TopicReader;
import org.xanestream.deploy.pipeline.Pipeline;
import org.xanestream.deploy.pipeline.PipelineSettings;
import org.xanestream.ingest.DebianPython;
import org.xanestream.publisher.hdf5.ResultFileLayout;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.hdf5.FxiFileSink;
import org.xanestream.simulators.truth.GroundTruth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xanestream.deploy.config.XanestreamConfig.*;

/**
 * The round trips through the real product: the simulator writes an FXI file, {@code xanestream replay}
 * streams it over real ZeroMQ (tcp loopback) into the {@code run} pipeline with {@code output-dir} set, which
 * publishes to a real embedded Kafka broker and writes the HDF5 result file. A plain Kafka consumer
 * reassembles the final maps from their row bands; every map in the result file must equal its Kafka
 * counterpart bit for bit. The same for an FXI file written by h5py (chunked, gzip), replayed as uint16 over
 * DECTRIS stream v1.
 */
class ReplayRoundTripTest {
    private static final int SIZE = 256;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

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

    /** Pipeline settings from configuration keys, as {@code xanestream run --KEY VALUE ...} makes them. */
    private static PipelineSettings settings(String protocol, String prefix, Path outputDir, String... extra)
            throws Exception {
        Map<ConfigKey<?>, ConfigResolver.Raw> cli = new LinkedHashMap<>();
        put(cli, ZMQ_MODE, "bind");
        put(cli, ZMQ_ENDPOINT, "tcp://127.0.0.1:*");
        put(cli, PROTOCOL, protocol);
        put(cli, KAFKA_BOOTSTRAP, broker.bootstrapServers());
        put(cli, KAFKA_TOPIC_PREFIX, prefix);
        put(cli, HTTP_PORT, "0");
        put(cli, THREADS, "2");
        put(cli, OUTPUT_DIR, outputDir.toString());
        put(cli, WARM_UP_SCANS, "0");
        for (int i = 0; i < extra.length; i += 2) {
            put(cli, XanestreamConfig.key(extra[i]), extra[i + 1]);
        }
        cli.put(REFERENCE, new ConfigResolver.Raw(List.of("builtin:NiO", "builtin:LiNiO2"), "--reference"));
        return PipelineSettings.of(ConfigResolver.resolve(RUN_SECTIONS, null, cli, Map.of()));
    }

    private static void put(Map<ConfigKey<?>, ConfigResolver.Raw> cli, ConfigKey<?> key, String value) {
        cli.put(key, new ConfigResolver.Raw(List.of(value), key.option()));
    }

    /** Polls the scans topic until the {@code end} record of the scan arrives. */
    private static JsonNode awaitScanEnd(String topic, String scanId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), topic)) {
                JsonNode j = TopicReader.json(r);
                if ("end".equals(j.path("type").asText()) && scanId.equals(j.path("scan_id").asText())) {
                    return j;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no end record for scan " + scanId + " on " + topic);
    }

    /** Replays {@code file} into the pipeline with {@code xanestream replay}, waits for the scan's end on Kafka. */
    private static JsonNode replay(Pipeline pipeline, String prefix, String scanId, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("replay", "--quiet", "--socket", "push-connect", "--endpoint",
                pipeline.receiverEndpoint(), "--give-up-s", "60"));
        a.addAll(List.of(args));
        CliRun r = CliRun.of(a.toArray(new String[0]));
        assertEquals(0, r.status(), r.toString());
        return awaitScanEnd(prefix + ".scans", scanId);
    }

    /** A 2D float32 dataset as a row-major array. */
    private static float[] image(HdfFile f, String path) {
        float[][] rows = (float[][]) f.getDatasetByPath(path).getData();
        int h = rows.length;
        int w = rows[0].length;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(rows[y], 0, out, y * w, w);
        }
        return out;
    }

    /**
     * Checks the result file against Kafka: the same set of maps, each final map bit-exact, the energies and
     * drifts of the points topic, the stack's shape. Returns the file's maps by name.
     */
    private static Map<String, float[]> checkResultFileEqualsKafka(Path file, String prefix, String scanId, int width,
                                                                    int height, int energies) {
        MapAssembler kafka = MapAssembler.of(TopicReader.readAll(broker.bootstrapServers(), prefix + ".maps"));
        Set<String> kafkaMaps = kafka.maps(scanId);
        assertTrue(kafkaMaps.contains("whiteline_ev") && kafkaMaps.contains("fraction_LiNiO2"), kafkaMaps.toString());
        List<JsonNode> points = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), prefix + ".points")) {
            JsonNode j = TopicReader.json(r);
            if (scanId.equals(j.path("scan_id").asText())) {
                points.add(j);
            }
        }
        assertEquals(energies, points.size());
        points.sort((a, b) -> Double.compare(a.get("energy_ev").asDouble(), b.get("energy_ev").asDouble()));

        Map<String, float[]> maps = new LinkedHashMap<>();
        try (HdfFile f = new HdfFile(file)) {
            assertEquals(scanId, f.getAttribute("scan_id").getData());
            Group spectrum = (Group) f.getByPath(ResultFileLayout.PROC_GROUP);
            Set<String> fileMaps = new LinkedHashSet<>();
            for (Node n : spectrum) {
                if (!ResultFileLayout.TXM_SANDBOX_ALIASES.containsKey(n.getName())) {
                    fileMaps.add(n.getName());
                }
            }
            assertEquals(kafkaMaps, fileMaps, "the file holds exactly the maps published to Kafka");
            for (String name : kafkaMaps) {
                MapAssembler.Assembled a = kafka.latest(scanId, name);
                assertTrue(a.isFinal(), name + " final on Kafka");
                assertEquals(width, a.width());
                assertEquals(height, a.height());
                assertEquals(1, a.bin(), "final maps are full resolution");
                float[] inFile = image(f, ResultFileLayout.PROC_GROUP + "/" + name);
                assertTrue(Arrays.equals(a.pixels(), inFile), name + ": the file's map equals Kafka's bit for bit");
                maps.put(name, inFile);
            }
            for (Map.Entry<String, String> alias : ResultFileLayout.TXM_SANDBOX_ALIASES.entrySet()) {
                assertTrue(Arrays.equals(maps.get(alias.getValue()),
                        image(f, ResultFileLayout.PROC_GROUP + "/" + alias.getKey())), alias.getKey());
            }
            Dataset stack = f.getDatasetByPath(ResultFileLayout.REGISTERED_STACK);
            assertArrayEquals(new int[] {energies, height, width}, stack.getDimensions());
            double[] eng = (double[]) f.getDatasetByPath(ResultFileLayout.ENERGIES).getData();
            double[] dx = (double[]) f.getDatasetByPath(ResultFileLayout.DRIFT_X).getData();
            double[] dy = (double[]) f.getDatasetByPath(ResultFileLayout.DRIFT_Y).getData();
            for (int k = 0; k < energies; k++) {
                JsonNode p = points.get(k);
                assertEquals(p.get("energy_ev").asDouble(), eng[k], 1e-9, "energy " + k);
                assertEquals(p.get("drift_x_px").asDouble(), dx[k], 1e-9, "drift x " + k);
                assertEquals(p.get("drift_y_px").asDouble(), dy[k], 1e-9, "drift y " + k);
            }
        }
        return maps;
    }

    @Test
    void simulatorToFxiFileToReplayToRunGivesAResultFileEqualToKafka() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults().withSize(SIZE, SIZE).withPixelSizeUm(0.08).withSeed(7)
                .withThreads(2);
        Path fxi = dir.resolve("sim-001.h5");
        GroundTruth truth;
        double[] energies;
        try (XanesSimulator sim = XanesSimulator.create(config)) {
            FxiFileSink sink = new FxiFileSink(id -> fxi, FxiFileSink.Metadata.ofPixelSizeUm("round trip",
                    config.pixelSizeUm()), true);
            sim.stream(sink, StreamOptions.quiet(Clock.systemUTC()));
            sink.close();
            truth = sim.groundTruth();
            energies = sim.energiesEv();
        }
        String prefix = "rt-sim";
        Path results = dir.resolve("results");
        JsonNode end;
        try (Pipeline pipeline = Pipeline.start(settings("adzmq", prefix, results))) {
            end = replay(pipeline, prefix, "sim-001", fxi.toString());
        }
        // 1 dark, then one sample and one flat per energy
        assertEquals(1 + 2L * energies.length, end.get("frames_received").asLong(), end.toString());
        assertEquals(0, end.get("frames_rejected").asLong(), end.toString());
        assertEquals(energies.length, end.get("energies_done").asInt(), end.toString());

        Path file = results.resolve("sim-001.h5");
        try (var listing = Files.list(results)) {
            assertEquals(List.of(file), listing.toList(), "one whole file, no temporary left");
        }
        Map<String, float[]> maps = checkResultFileEqualsKafka(file, prefix, "sim-001", SIZE, SIZE, energies.length);

        // and the chain is physically right: whiteline and oxidation state of the particles as simulated
        float[] thickness = truth.staticMaps().get(GroundTruth.THICKNESS_UM);
        float[] wlTruth = truth.scans().get(0).map(GroundTruth.WHITELINE_EV);
        float[] fracTruth = truth.scans().get(0).map(GroundTruth.FRACTION_OX);
        float[] wl = maps.get("whiteline_ev");
        float[] frac = maps.get("fraction_LiNiO2");
        List<Double> wlErr = new ArrayList<>();
        List<Double> fracErr = new ArrayList<>();
        for (int i = 0; i < wl.length; i++) {
            if (thickness[i] > 0 && Float.isFinite(wlTruth[i]) && Float.isFinite(wl[i])) {
                wlErr.add((double) Math.abs(wl[i] - wlTruth[i]));
            }
            if (thickness[i] > 0 && Float.isFinite(fracTruth[i]) && Float.isFinite(frac[i])) {
                fracErr.add((double) Math.abs(frac[i] - fracTruth[i]));
            }
        }
        double wlMedian = median(wlErr);
        double fracMedian = median(fracErr);
        System.out.printf("round trip %dx%d: whiteline median |error| %.3f eV over %d px, fraction %.3f%n", SIZE, SIZE,
                wlMedian, wlErr.size(), fracMedian);
        assertTrue(wlErr.size() > 1000, "particle pixels with a whiteline: " + wlErr.size());
        assertTrue(wlMedian < 0.15, "whiteline median error " + wlMedian);
        assertTrue(fracMedian < 0.03, "fraction median error " + fracMedian);
    }

    @Test
    void h5pyWrittenFxiFileReplayedAsUint16OverDectrisGivesTheParticleWhiteline() throws Exception {
        Path fxi = dir.resolve("h5py.h5");
        int w = 64;
        int h = 48;
        DebianPython.run("write_fxi_particle.py", fxi.toString(), Integer.toString(w), Integer.toString(h));
        String prefix = "rt-h5py";
        Path results = dir.resolve("results");
        JsonNode end;
        try (Pipeline pipeline = Pipeline.start(settings("dectris1", prefix, results, "drift.enabled", "false",
                "session.samples-per-point", "1", "session.flats-per-point", "1"))) {
            end = replay(pipeline, prefix, "31415", "--protocol", "dectris1", "--dtype", "uint16", fxi.toString());
        }
        assertEquals(1 + 2 * 56, end.get("frames_received").asLong(), end.toString());
        assertEquals(56, end.get("energies_done").asInt(), end.toString());
        Map<String, float[]> maps = checkResultFileEqualsKafka(results.resolve("31415.h5"), prefix, "31415", w, h, 56);
        float[] wl = maps.get("whiteline_ev");
        float[] mask = maps.get("mask");
        List<Double> wlErr = new ArrayList<>();
        int inside = 0;
        int insideTrusted = 0;
        int outside = 0;
        int outsideTrusted = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - (w - 1) / 2.0, y - (h - 1) / 2.0);
                int i = y * w + x;
                if (r < Math.min(w, h) / 3.0 - 1) {
                    inside++;
                    insideTrusted += mask[i] == 1f ? 1 : 0;
                    wlErr.add(Float.isFinite(wl[i]) ? Math.abs(wl[i] - 8350.5) : Double.POSITIVE_INFINITY);
                } else if (r > Math.min(w, h) / 3.0 + 1) {
                    outside++;
                    outsideTrusted += mask[i] == 1f ? 1 : 0;
                }
            }
        }
        System.out.printf("h5py particle: whiteline median |error| %.4f eV, trusted %d/%d inside, %d/%d outside%n",
                median(wlErr), insideTrusted, inside, outsideTrusted, outside);
        assertTrue(inside > 500, "pixels checked: " + inside);
        assertTrue(median(wlErr) < 0.05, "whiteline median error " + median(wlErr));
        assertEquals(inside, insideTrusted, "every particle pixel is trusted");
        assertTrue(outsideTrusted < 0.02 * outside, "background pixels trusted: " + outsideTrusted + "/" + outside);
    }

    private static double median(List<Double> v) {
        double[] a = new double[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        Arrays.sort(a);
        return a.length == 0 ? Double.NaN : a[a.length / 2];
    }
}
