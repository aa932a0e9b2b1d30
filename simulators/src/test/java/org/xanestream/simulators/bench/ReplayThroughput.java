package org.xanestream.simulators.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.adzmq.AdZmqDecoder;
import org.xanestream.ingest.zmq.ZmqFrameReceiver;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.ingest.zmq.ZmqReceiverMode;
import org.xanestream.ingest.zmq.ZmqSenderConfig;
import org.xanestream.ingest.zmq.ZmqSenderMode;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.hdf5.FxiFileSink;
import org.xanestream.simulators.hdf5.RecordedScan;
import org.xanestream.simulators.hdf5.ScanReplayer;
import org.xanestream.simulators.sink.CountingFrameSink;
import org.xanestream.simulators.sink.ZmqFrameSink;

/**
 * Replay throughput harness (test scope, not a unit test): replays an FXI file over
 * {@code tcp://127.0.0.1} into a real receiver (ADZMQ decoder, pooled frames, a consumer thread that
 * releases them) and reports frames/s from the first frame sent to the end of scan received. Also
 * reports the file-reading rate alone (replay into a counting sink) to separate disk/jHDF from the wire.
 *
 * <pre>
 * args: [file=/tmp/xanestream-replay-2048.h5] [size=2048] [energies=20] [mode=raw] [dtype=float32] [repeats=2]
 * </pre>
 * The file is generated once with the simulator (through {@link FxiFileSink}, uncompressed, chunk size 1)
 * if it does not exist; it is never part of the repository. Generating 2048×2048×20 needs about 1 GB
 * of heap; the file is 0.7 GB.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl simulators -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java --add-modules jdk.incubator.vector -Xmx4g -cp simulators/target/classes:simulators/target/test-classes:ingest/target/classes:processor/target/classes:$(cat simulators/target/cp.txt) \
 *     org.xanestream.simulators.bench.ReplayThroughput /tmp/xanestream-replay-2048.h5 2048 20 raw float32 2
 * </pre>
 */
public final class ReplayThroughput {
    private ReplayThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/xanestream-replay-2048.h5");
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        int energies = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        ScanReplayer.Mode mode = ScanReplayer.Mode.parse(args.length > 3 ? args[3] : "raw");
        PixelType type = "uint16".equals(args.length > 4 ? args[4] : "float32") ? PixelType.UINT16 : PixelType.FLOAT32;
        int repeats = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        if (!Files.exists(file)) {
            generate(file, size, energies);
        }
        ScanReplayer.Settings settings = ScanReplayer.Settings.defaults().withMode(mode).withPixelType(type);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (RecordedScan scan = RecordedScan.open(file)) {
            long frameBytes = (long) scan.width() * scan.height() * type.bytes();
            System.out.printf(Locale.ROOT, "file %s: %s %dx%d, %d energies; %s %s frames of %.1f MB%n", file,
                    scan.layout(), scan.width(), scan.height(), scan.energyCount(), mode, type.wireName(),
                    frameBytes / 1e6);
            for (int r = 0; r < repeats; r++) {
                long cpu0 = os.getProcessCpuTime();
                ScanReplayer.Result read = new ScanReplayer(new CountingFrameSink(), settings, null).replay(scan);
                System.out.printf(Locale.ROOT, "run %d, read + convert only: %d frames in %.2f s = %.1f frames/s "
                                + "(CPU %.1f ms/frame)%n", r + 1, read.frames(), read.seconds(), read.framesPerSecond(),
                        (os.getProcessCpuTime() - cpu0) / 1e6 / read.frames());
                cpu0 = os.getProcessCpuTime();
                double[] wire = overTcp(scan, settings, frameBytes);
                System.out.printf(Locale.ROOT, "run %d, over tcp://127.0.0.1 into a receiver: %d frames in %.2f s = "
                                + "%.1f frames/s (%.0f MB/s; CPU of both ends %.1f ms/frame)%n", r + 1, (long) wire[0],
                        wire[1], wire[0] / wire[1], wire[0] * frameBytes / 1e6 / wire[1],
                        (os.getProcessCpuTime() - cpu0) / 1e6 / wire[0]);
            }
        }
    }

    /** Replays into a receiver in this JVM; returns {frames received, seconds to the end of scan}. */
    private static double[] overTcp(RecordedScan scan, ScanReplayer.Settings settings, long frameBytes) throws Exception {
        int hwm = 8;
        long pool = (hwm + 8) * (frameBytes + 4096);
        ZmqReceiverConfig rc = new ZmqReceiverConfig("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND, hwm, 20, 8, pool,
                1, ZmqReceiverConfig.defaults().handshakeIvlMs());
        BoundedEventQueue queue = new BoundedEventQueue(new EventQueueConfig(8, QueueFullPolicy.BLOCK));
        AtomicLong frames = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AdZmqConfig dc = AdZmqConfig.defaults().withMaxFrameBytes(Math.max(AdZmqConfig.defaults().maxFrameBytes(), frameBytes));
        try (ZmqFrameReceiver receiver = new ZmqFrameReceiver(rc,
                endpoint -> new AdZmqDecoder(endpoint, dc, new FramePool(16 * (frameBytes + 4096))), queue,
                r -> rejected.incrementAndGet(), Clock.systemUTC())) {
            receiver.start();
            long[] endNanos = {0};
            Thread consumer = new Thread(() -> {
                try {
                    while (true) {
                        IngestEvent e = queue.poll(60, TimeUnit.SECONDS);
                        if (e == null || e instanceof EndOfScan) {
                            endNanos[0] = System.nanoTime();
                            return;
                        }
                        frames.incrementAndGet();
                        ((Frame) e).release();
                    }
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-consumer");
            consumer.start();
            long t0 = System.nanoTime();
            try (ZmqFrameSink sink = new ZmqFrameSink(ZmqSenderConfig.defaults()
                    .withEndpoint(receiver.endpoint(), ZmqSenderMode.PUSH_CONNECT).withSndHwm(hwm).withLingerMs(60_000),
                    new org.xanestream.ingest.adzmq.AdZmqEncoder(
                            org.xanestream.ingest.adzmq.AdZmqEncoderConfig.defaults()), 60_000, null)) {
                new ScanReplayer(sink, settings, null).replay(scan);
            }
            consumer.join();
            if (rejected.get() > 0) {
                System.out.println("  rejected " + rejected.get() + " messages");
            }
            return new double[] {frames.get(), (endNanos[0] - t0) / 1e9};
        }
    }

    private static void generate(Path file, int size, int energies) throws Exception {
        long t0 = System.nanoTime();
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(size, size).withPixelSizeUm(0.04 * 1024 / size)
                .withEnergies(EnergyGrid.parse("-10:" + (energies - 11) + ":1", true))
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(1));
        FxiFileSink sink = new FxiFileSink(id -> file, FxiFileSink.Metadata.ofPixelSizeUm("replay benchmark",
                cfg.pixelSizeUm()), false);
        try (XanesSimulator sim = XanesSimulator.create(cfg)) {
            sim.stream(sink, StreamOptions.quiet(Clock.systemUTC()));
        }
        System.out.printf(Locale.ROOT, "generated %s (%dx%d, %d energies, %.2f GB) in %.1f s%n", file, size, size,
                energies, Files.size(file) / 1e9, (System.nanoTime() - t0) / 1e9);
    }
}
