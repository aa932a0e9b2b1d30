package org.xanestream.deploy.bench;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.xanestream.deploy.Relaunch;
import org.xanestream.deploy.pipeline.Pipeline;
import org.xanestream.deploy.pipeline.PipelineSettings;
import org.xanestream.ingest.zmq.ReceiverStats;
import org.xanestream.processor.session.ProcessorStats;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end throughput harness: the {@code run} pipeline (with its Kafka broker) in this JVM, the frame
 * sender ({@link CachedFrameSender}) in a separate JVM streaming 2048×2048 uint16 frames over
 * tcp://127.0.0.1 as fast as the pipeline takes them (PUSH/PULL with a blocking queue: back-pressure, never
 * drops). Reports the sustained rate from the first frame received to the last energy point processed,
 * every loss counter, and the distribution of energy point complete → maps acknowledged by Kafka.
 *
 * <p>Called from the main thread of {@code xanestream bench}; not thread safe.
 */
public final class ThroughputHarness {
    /** Targets of the issue on the 2-core machine. */
    private static final double TARGET_FPS = 100;
    private static final double TARGET_P99_S = 0.5;

    private ThroughputHarness() {
    }

    /**
     * @param settings  the pipeline (its receiver must bind, e.g. tcp://127.0.0.1:*)
     * @param size      frame side, pixels
     * @param scans     scans to stream
     * @param chunk     samples and flats per energy
     * @param senderXmx heap of the sender JVM, e.g. {@code 2g}
     * @return 0 if every frame arrived and nothing was dropped, 1 otherwise
     */
    public static int run(PipelineSettings settings, int size, int scans, int chunk, String senderXmx, PrintWriter out)
            throws Exception {
        try (Pipeline pipeline = Pipeline.start(settings)) {
            List<String> cmd = Relaunch.javaCommand(List.of("-Xmx" + senderXmx), List.of("bench-sender", "--endpoint",
                    pipeline.receiverEndpoint(), "--size", Integer.toString(size), "--scans", Integer.toString(scans),
                    "--chunk", Integer.toString(chunk)));
            Process sender = new ProcessBuilder(cmd).inheritIO().start();

            ReceiverStats rx = pipeline.receiverStats();
            ProcessorStats proc = pipeline.processorStats();
            Cost atFirstFrame = null;
            Cost atDone;
            while (true) {
                if (atFirstFrame == null && rx.framesReceived() > 0) {
                    atFirstFrame = Cost.now(proc.energyPoints());
                }
                if (proc.scansEnded() >= scans) {
                    atDone = Cost.now(proc.energyPoints());
                    break;
                }
                if (!sender.isAlive() && sender.exitValue() != 0) {
                    out.println("bench: the sender failed with status " + sender.exitValue());
                    return 1;
                }
                if (pipeline.failed()) {
                    out.println("bench: the pipeline failed: " + pipeline.health().problems());
                    return 1;
                }
                Thread.sleep(5);
            }
            if (!sender.waitFor(60, TimeUnit.SECONDS) || sender.exitValue() != 0) {
                out.println("bench: the sender did not finish cleanly");
                return 1;
            }
            boolean idle = pipeline.publisher().awaitIdle(Duration.ofMinutes(2));
            report(pipeline, size, scans, chunk, idle, atFirstFrame == null ? atDone : atFirstFrame, atDone, out);
            return rx.dropped() == 0 && rx.rejectedTotal() == 0 && rx.gapEvents() == 0 && proc.pointsWithoutFlat() == 0
                    && idle ? 0 : 1;
        }
    }

    private static void report(Pipeline p, int size, int scans, int chunk, boolean idle, Cost atT0, Cost atT1,
                               PrintWriter out) {
        ReceiverStats rx = p.receiverStats();
        ProcessorStats proc = p.processorStats();
        long frames = rx.framesReceived();
        double seconds = (atT1.nanos - atT0.nanos) / 1e9;
        double fps = frames / seconds;
        long kafkaLost = p.kafkaRecords("dropped") + p.kafkaRecords("failed");
        out.printf(Locale.ROOT, "xanestream bench: %dx%d uint16, %d scan(s), chunk %d; %d cores, processor threads %d%n",
                size, size, scans, chunk, Runtime.getRuntime().availableProcessors(), p.settings().processor().effectiveThreads());
        out.printf(Locale.ROOT, "  sustained: %d frames in %.2f s = %.1f frames/s (%.2f GB/s), first frame received -> "
                        + "last energy point processed; %d energy points (%.1f/s)%n",
                frames, seconds, fps, frames * 2.0 * size * size / seconds / 1e9, proc.energyPoints(), proc.energyPoints() / seconds);
        out.printf(Locale.ROOT, "  losses: %d dropped, %d rejected, %d frame-number gaps, %d points without flat, "
                        + "%d Kafka records dropped or failed; Kafka idle at the end: %s%n",
                rx.dropped(), rx.rejectedTotal(), rx.gapEvents(), proc.pointsWithoutFlat(), kafkaLost, idle);
        out.printf(Locale.ROOT, "  back-pressure: receiver waited for queue space %d times; frame pool waits %d%n",
                rx.blockedPuts(), frameWaits(p));
        Timer latency = p.metrics().registry().find("xanestream.energy.point").timer();
        double p99 = Double.NaN;
        if (latency != null && latency.count() > 0) {
            HistogramSnapshot h = latency.takeSnapshot();
            StringBuilder sb = new StringBuilder();
            for (ValueAtPercentile v : h.percentileValues()) {
                sb.append(String.format(Locale.ROOT, " p%s=%.0f ms", trim(v.percentile() * 100), v.value(TimeUnit.MILLISECONDS)));
                if (Math.abs(v.percentile() - 0.99) < 1e-9) {
                    p99 = v.value(TimeUnit.SECONDS);
                }
            }
            out.printf(Locale.ROOT, "  energy point complete -> maps acknowledged by Kafka: n=%d%s mean=%.0f ms max=%.0f ms%n",
                    latency.count(), sb, h.mean(TimeUnit.MILLISECONDS), h.max(TimeUnit.MILLISECONDS));
        } else {
            out.println("  energy point complete -> maps acknowledged by Kafka: no samples");
        }
        out.printf(Locale.ROOT, "  last energy update %.0f ms, last maps snapshot %.0f ms; process CPU %.1f s%n",
                proc.lastEnergyUpdateNanos() / 1e6, proc.lastSnapshotNanos() / 1e6, processCpuSeconds());
        costReport(atT0, atT1, seconds, out);
        out.printf(Locale.ROOT, "  targets (2 cores): >= %.0f frames/s %s; p99 <= %.0f ms %s%n", TARGET_FPS,
                fps >= TARGET_FPS ? "MET" : "NOT MET", TARGET_P99_S * 1000, p99 <= TARGET_P99_S ? "MET" : "NOT MET");
        out.flush();
    }

    /**
     * Where the two cores went while the frames streamed (first frame received to last energy point processed):
     * this process's CPU per energy point and as a share of the machine, and its GC pauses as the JVM's
     * collector beans count them (G1: young, mixed and full collections, not remark and cleanup; ZGC and
     * Shenandoah: their pauses, not their concurrent cycles). The sender reports its own CPU on its last line.
     */
    private static void costReport(Cost a, Cost b, double seconds, PrintWriter out) {
        double cpu = b.cpuSeconds - a.cpuSeconds;
        long points = b.points - a.points;
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "  cost while streaming: process CPU %.1f s (%.0f ms per energy point, %.0f %% of %d cores), "
                        + "GC %d pauses, %.0f ms%n", cpu, points > 0 ? cpu * 1000 / points : Double.NaN,
                100 * cpu / (seconds * cores), cores, b.gcCount - a.gcCount, (double) (b.gcMillis - a.gcMillis));
    }

    /** The time, process CPU, GC totals and energy points at one moment. */
    private record Cost(long nanos, double cpuSeconds, long gcCount, long gcMillis, long points) {
        static Cost now(long points) {
            long count = 0;
            long millis = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                // pauses only: ZGC and Shenandoah also report their concurrent cycles ("... Cycles"), newer G1
                // its concurrent marking ("G1 Concurrent GC")
                String name = gc.getName();
                if (name.contains("Cycles") || name.contains("Concurrent")) {
                    continue;
                }
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            return new Cost(System.nanoTime(), processCpuSeconds(), count, millis, points);
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static long frameWaits(Pipeline p) {
        FunctionCounter c = p.metrics().registry().find("xanestream.frame.pool.waits")
                .functionCounter();
        return c == null ? 0 : (long) c.count();
    }

    /** This JVM's CPU time, all threads (for the sender: including ZeroMQ's I/O thread), NaN if it cannot tell. */
    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() / 1e9 : Double.NaN;
    }
}
