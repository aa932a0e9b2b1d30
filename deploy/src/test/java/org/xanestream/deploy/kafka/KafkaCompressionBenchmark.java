package org.xanestream.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.publisher.kafka.KafkaResultPublisher;

/**
 * Harness, not a unit test (its name keeps it out of {@code mvn verify}): publishes full-resolution 2048×2048
 * final maps through the embedded broker with each producer compression and prints throughput, the size on
 * the broker's disk and the process CPU time. Run:
 * <pre>mvn -B -q -pl deploy -am test -Dtest=KafkaCompressionBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * and read deploy/target/surefire-reports/org.xanestream.deploy.kafka.KafkaCompressionBenchmark-output.txt.
 */
class KafkaCompressionBenchmark {
    private static final int SIDE = 2048;
    private static final int SNAPSHOTS = Integer.getInteger("bench.snapshots", 4);

    @Test
    void compareCompressionsOnRealisticMaps() throws Exception {
        Map<String, float[]> maps = realisticMaps();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedBrokerConfig.defaults())) {
            // Warm-up run (JIT, topic creation paths), not reported.
            run(broker, "none", "warm", maps, 1);
            System.out.printf("%-7s %10s %12s %9s %10s%n", "codec", "MB/s", "disk MiB", "ratio", "cpu s");
            int runIndex = 0;
            for (String codec : System.getProperty("bench.codecs", "none,lz4,zstd,snappy,gzip").split(",")) {
                run(broker, codec, "bench-" + codec + "-" + runIndex++, maps, SNAPSHOTS);
            }
        }
    }

    /** Kafka's own codecs on each map alone, one thread: size ratio and compression speed. */
    @Test
    void compressionRatioAndSpeedPerMap() throws Exception {
        Map<String, float[]> maps = realisticMaps();
        maps.put("mu_image", noisyImage());
        System.out.printf("%-14s %-7s %7s %10s%n", "map", "codec", "ratio", "MB/s");
        for (Map.Entry<String, float[]> e : maps.entrySet()) {
            byte[] raw = new byte[4 * SIDE * SIDE];
            java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(e.getValue());
            for (String codec : List.of("lz4", "zstd", "snappy")) {
                Compression c = Compression.of(codec).build();
                long best = Long.MAX_VALUE;
                int size = 0;
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = System.nanoTime();
                    size = compressedSize(c, raw);
                    best = Math.min(best, System.nanoTime() - t0);
                }
                System.out.printf("%-14s %-7s %7.2f %10.1f%n", e.getKey(), codec, (double) raw.length / size,
                        raw.length / 1e6 / (best / 1e9));
            }
        }
    }

    /** Compresses in 900 KiB chunks, like the producer does per record batch. */
    private static int compressedSize(Compression c, byte[] raw) throws java.io.IOException {
        int total = 0;
        int chunk = 900 * 1024;
        for (int off = 0; off < raw.length; off += chunk) {
            ByteBufferOutputStream out = new ByteBufferOutputStream(chunk);
            try (java.io.OutputStream os = c.wrapForOutput(out, RecordBatch.CURRENT_MAGIC_VALUE)) {
                os.write(raw, off, Math.min(chunk, raw.length - off));
            }
            total += out.position();
        }
        return total;
    }

    /** An aligned mu image: smooth sample absorbance plus photon noise, NaN where shifted in. */
    static float[] noisyImage() {
        SplittableRandom r = new SplittableRandom(7);
        float[] mu = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                mu[y * SIDE + x] = x < 3 ? Float.NaN
                        : (float) (0.8 + 0.3 * Math.sin(x / 150.0) * Math.cos(y / 170.0) + r.nextGaussian() * 0.01);
            }
        }
        return mu;
    }

    private static void run(EmbeddedKafkaBroker broker, String codec, String prefix, Map<String, float[]> maps,
                            int snapshots) throws Exception {
        KafkaPublisherConfig config = KafkaPublisherConfig.builder().bootstrapServers(broker.bootstrapServers())
                .topicPrefix(prefix).compression(codec).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        long rawBytes = 0;
        long cpu0;
        long t0;
        long t1;
        long cpu1;
        try (KafkaResultPublisher pub = KafkaResultPublisher.start(config, registry, Clock.systemUTC())) {
            // Topic creation and the first acknowledgement per partition are not part of the measurement.
            pub.onRejected(FakeScan.rejection("bench", org.xanestream.ingest.RejectReason.BAD_JSON, ""));
            MapsSnapshot warm = snapshot(prefix + "-warm", 1, maps);
            pub.onMaps(warm);
            assertTrue(pub.awaitIdle(Duration.ofSeconds(120)));
            cpu0 = processCpuNanos();
            t0 = System.nanoTime();
            for (int s = 0; s < snapshots; s++) {
                MapsSnapshot m = snapshot(prefix + "-" + s, s + 1, maps);
                pub.onMaps(m);
                rawBytes += 4L * SIDE * SIDE * maps.size();
                assertTrue(pub.awaitIdle(Duration.ofSeconds(300)));
            }
            t1 = System.nanoTime();
            cpu1 = processCpuNanos();
        }
        if (prefix.equals("warm")) {
            return;
        }
        long disk = diskBytes(broker, prefix + ".maps");
        long warmBytes = 4L * SIDE * SIDE * maps.size();
        double seconds = (t1 - t0) / 1e9;
        System.out.printf("%-7s %10.1f %12.1f %9.2f %10.2f%n", codec, rawBytes / 1e6 / seconds,
                disk / 1048576.0, (double) (rawBytes + warmBytes) / disk, (cpu1 - cpu0) / 1e9);
    }

    /** A mix like the real maps: noisy energies with NaN outside the sample, a 0/1 mask, noisy fractions. */
    static Map<String, float[]> realisticMaps() {
        SplittableRandom r = new SplittableRandom(42);
        int n = SIDE * SIDE;
        float[] whiteline = new float[n];
        float[] edge = new float[n];
        float[] fraction = new float[n];
        float[] mask = new float[n];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int i = y * SIDE + x;
                double dx = x - SIDE / 2.0;
                double dy = y - SIDE / 2.0;
                boolean inside = dx * dx + dy * dy < 0.16 * SIDE * SIDE;
                boolean inView = x > 20 && y > 20 && x < SIDE - 20 && y < SIDE - 20;
                whiteline[i] = inView ? (float) (8350 + (inside ? 1.5 : 0) + r.nextGaussian() * 1.2) : Float.NaN;
                edge[i] = inView ? (float) (8345 + r.nextGaussian() * 0.8) : Float.NaN;
                fraction[i] = inView ? (float) Math.min(1, Math.max(0, 0.5 + r.nextGaussian() * 0.2)) : Float.NaN;
                mask[i] = inside && inView ? 1f : 0f;
            }
        }
        Map<String, float[]> maps = new LinkedHashMap<>();
        maps.put("whiteline_ev", whiteline);
        maps.put("edge_ev", edge);
        maps.put("fraction_nio", fraction);
        maps.put("mask", mask);
        return maps;
    }

    private static MapsSnapshot snapshot(String scanId, int version, Map<String, float[]> maps) {
        Map<String, MapSummary> summary = new LinkedHashMap<>();
        return new MapsSnapshot(scanId, version, true, SIDE, SIDE, maps, summary, false, System.currentTimeMillis());
    }

    private static long diskBytes(EmbeddedKafkaBroker broker, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        long total = 0;
        try (Admin admin = Admin.create(p)) {
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(List.of(1)).allDescriptions().get()
                    .values()) {
                for (LogDirDescription d : dirs.values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> e : d.replicaInfos().entrySet()) {
                        if (e.getKey().topic().equals(topic)) {
                            total += e.getValue().size();
                        }
                    }
                }
            }
        }
        return total;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
