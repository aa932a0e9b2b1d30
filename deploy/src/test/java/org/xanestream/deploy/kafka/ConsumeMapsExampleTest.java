package org.xanestream.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.publisher.kafka.KafkaResultPublisher;

/**
 * Runs examples/python/consume_maps.py (Debian's python3-confluent-kafka and python3-numpy) against the
 * embedded broker after publishing known maps, and checks the values it reassembled: its sha256 of the float32
 * bytes, its statistics and the .npy files it saved. A missing Python or module fails the test.
 */
class ConsumeMapsExampleTest {
    private static final Pattern LINE = Pattern.compile("map (\\S+) scan=(\\S+) version=(\\d+) final=(true|false) "
            + "bin=(\\d+) shape=\\((\\d+), (\\d+)\\) finite=(\\d+) mean=(\\S+) min=(\\S+) max=(\\S+) sha256=([0-9a-f]{64})");
    private static EmbeddedKafkaBroker broker;
    private static MapsSnapshot finalFirst;
    private static MapsSnapshot finalSecond;

    @BeforeAll
    static void publishTwoScans() throws Exception {
        broker = EmbeddedKafkaBroker.start(EmbeddedBrokerConfig.defaults());
        KafkaPublisherConfig config = KafkaPublisherConfig.builder().bootstrapServers(broker.bootstrapServers())
                .topicPrefix("py").liveMapMinIntervalMs(0).maxRecordValueBytes(64 * 1024).build();
        FakeScan first = new FakeScan("py-1", 300, 200, 21, "whiteline_ev", "edge_ev", "mask");
        FakeScan second = new FakeScan("py-2", 40, 24, 22, "whiteline_ev");
        finalFirst = first.maps(5, true);
        finalSecond = second.maps(2, true);
        try (KafkaResultPublisher pub = KafkaResultPublisher.start(config, new SimpleMeterRegistry(),
                Clock.systemUTC())) {
            pub.onScanStart(first.info);
            for (int v = 1; v <= 4; v++) {
                pub.onMaps(first.maps(v, false));
                assertTrue(pub.awaitIdle(Duration.ofSeconds(60)));
            }
            pub.onMaps(finalFirst);
            pub.onScanEnd(first.end(finalFirst));
            pub.onScanStart(second.info);
            pub.onMaps(second.maps(1, false));
            pub.onMaps(finalSecond);
            pub.onScanEnd(second.end(finalSecond));
            assertTrue(pub.awaitIdle(Duration.ofSeconds(60)));
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void pythonExampleReassemblesTheFinalMapsOfTheRequestedScanBitExact(@TempDir Path out) throws Exception {
        Result r = runExample("--scan", "py-1", "--save", out.toString());
        assertEquals(0, r.exitCode, r.output);
        Map<String, Matcher> lines = parse(r.output);
        assertEquals(List.of("whiteline_ev", "edge_ev", "mask"), new ArrayList<>(lines.keySet()), r.output);
        for (Map.Entry<String, float[]> e : finalFirst.maps().entrySet()) {
            Matcher m = lines.get(e.getKey());
            float[] expected = e.getValue();
            assertEquals("py-1", m.group(2));
            assertEquals("5", m.group(3), "the final publication outranks the live ones");
            assertEquals("true", m.group(4));
            assertEquals("1", m.group(5));
            assertEquals("200", m.group(6));
            assertEquals("300", m.group(7));
            assertEquals(sha256(expected), m.group(12), "pixel values differ for " + e.getKey());
            double[] stats = nanStats(expected);
            assertEquals((long) stats[0], Long.parseLong(m.group(8)));
            assertEquals(stats[1], Double.parseDouble(m.group(9)), 1e-6 * Math.abs(stats[1]));
            assertEquals((float) stats[2], (float) Double.parseDouble(m.group(10)));
            assertEquals((float) stats[3], (float) Double.parseDouble(m.group(11)));
            float[] saved = readNpy(out.resolve("py-1__" + e.getKey() + ".npy"), 200, 300);
            KafkaResultPublisherBrokerTest.assertBitExact(expected, saved);
        }
    }

    @Test
    void withoutAScanIdTheExampleShowsTheNewestScan() throws Exception {
        Result r = runExample();
        assertEquals(0, r.exitCode, r.output);
        Map<String, Matcher> lines = parse(r.output);
        Matcher m = lines.get("whiteline_ev");
        assertEquals(1, lines.size(), r.output);
        assertEquals("py-2", m.group(2));
        assertEquals("2", m.group(3));
        assertEquals("24", m.group(6));
        assertEquals("40", m.group(7));
        assertEquals(sha256(finalSecond.maps().get("whiteline_ev")), m.group(12));
    }

    @Test
    void anUnknownScanExitsWithStatusOne() throws Exception {
        Result r = runExample("--scan", "no-such-scan");
        assertEquals(1, r.exitCode, r.output);
        assertTrue(r.output.contains("no complete maps for scan no-such-scan"), r.output);
    }

    // ------------------------------------------------------------------ helpers

    private record Result(int exitCode, String output) {
    }

    private static Result runExample(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python(), script().toString(), "--bootstrap",
                broker.bootstrapServers(), "--prefix", "py", "--timeout", "60"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("consume_maps.py did not finish: " + new String(output, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static Map<String, Matcher> parse(String output) {
        Map<String, Matcher> lines = new java.util.LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                lines.put(m.group(1), m);
            }
        }
        return lines;
    }

    /**
     * The Python that can run the example: {@code -Dxanestream.python=...} if given, else the first of
     * /usr/bin/python3 (Debian's, which sees the python3-* packages) and python3 on the PATH that imports
     * confluent_kafka and numpy. Fails, never skips, when there is none.
     */
    private static String python() throws Exception {
        List<String> candidates = new ArrayList<>();
        String configured = System.getProperty("xanestream.python");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        } else {
            candidates.add("/usr/bin/python3");
            candidates.add("python3");
        }
        StringBuilder tried = new StringBuilder();
        for (String c : candidates) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import confluent_kafka, numpy").redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return c;
                }
                tried.append("\n  ").append(c).append(": ").append(out.isEmpty() ? "exit " + p.exitValue() : out);
            } catch (IOException e) {
                tried.append("\n  ").append(c).append(": ").append(e.getMessage());
            }
        }
        fail("no Python 3 with confluent_kafka and numpy found; install the Debian packages "
                + "(apt-get install -y python3-confluent-kafka python3-numpy) or pass -Dxanestream.python=PATH. Tried:"
                + tried);
        return null;
    }

    private static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path s = dir.resolve("examples/python/consume_maps.py");
            if (Files.isRegularFile(s)) {
                return s;
            }
            dir = dir.getParent();
        }
        fail("examples/python/consume_maps.py not found above " + Path.of("").toAbsolutePath());
        return null;
    }

    private static String sha256(float[] values) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }

    /** {finite count, mean, min, max} over the non-NaN values. */
    private static double[] nanStats(float[] a) {
        double sum = 0;
        long n = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : a) {
            if (!Float.isNaN(v)) {
                sum += v;
                n++;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return new double[]{n, sum / n, min, max};
    }

    /** Reads a version 1.0 .npy file of little-endian float32 in C order, checking its header. */
    private static float[] readNpy(Path file, int rows, int cols) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((byte) 0x93, b.get(0));
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        int headerLen = b.getShort(8) & 0xFFFF;
        String header = new String(bytes, 10, headerLen, StandardCharsets.US_ASCII);
        Map<String, String> expect = new HashMap<>();
        expect.put("descr", "'<f4'");
        expect.put("fortran_order", "False");
        expect.put("shape", "(" + rows + ", " + cols + ")");
        for (Map.Entry<String, String> e : expect.entrySet()) {
            assertTrue(header.contains("'" + e.getKey() + "': " + e.getValue()), header);
        }
        float[] f = new float[rows * cols];
        ByteBuffer.wrap(bytes, 10 + headerLen, f.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
