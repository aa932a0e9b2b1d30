package org.xanestream.deploy.bench;

import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.adzmq.AdZmqEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;
import org.xanestream.ingest.zmq.ZmqFrameSender;
import org.xanestream.ingest.zmq.ZmqSenderConfig;
import org.xanestream.ingest.zmq.ZmqSenderMode;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.acquisition.AcquisitionPlan;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.acquisition.PlannedFrame;
import org.xanestream.simulators.sink.InMemoryFrameSink;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The detector side of the throughput harness: streams full simulated scans (the FXI sequence of darks,
 * then samples and flats per energy over the FXI-like grid) at the maximum rate the receiver takes, over
 * a PUSH socket in the areaDetector protocol.
 *
 * <p>Generating 2048×2048 frames with Poisson noise costs more CPU than processing them, and the sender
 * shares the machine with the pipeline; so the simulator renders the dark, sample and flat frames of two
 * energies once, and the stream reuses their pixels with the headers (frame numbers, energies, kinds,
 * scan ids) of the real sequence. The processor's work does not depend on the pixel values.
 *
 * <p>Runs in its own JVM ({@code xanestream bench-sender}); single-threaded.
 */
public final class CachedFrameSender {
    private static final int CACHED_ENERGIES = 2;

    private CachedFrameSender() {
    }

    /**
     * Renders the cache, connects to {@code endpoint} and sends {@code scans} scans.
     *
     * @return frames sent
     */
    public static long run(String endpoint, int size, int scans, int chunk, PrintStream log) throws Exception {
        SimulatorConfig base = SimulatorConfig.defaults().withSize(size, size).withPixelSizeUm(0.04 * 1024 / size)
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(chunk).withScans(scans).withScanIdPrefix("bench"));
        double[] energies = base.energiesEv();
        AcquisitionPlan plan = new AcquisitionPlan(base.acquisition(), energies.length);

        long r0 = System.nanoTime();
        InMemoryFrameSink cache = new InMemoryFrameSink(true);
        double[] cachedEnergies = new double[CACHED_ENERGIES];
        System.arraycopy(energies, energies.length / 2, cachedEnergies, 0, CACHED_ENERGIES);
        try (XanesSimulator sim = XanesSimulator.create(base.withEnergies(EnergyGrid.explicit(cachedEnergies))
                .withAcquisition(base.acquisition().withScans(1)))) {
            sim.stream(cache, StreamOptions.quiet(Clock.systemUTC()));
        }
        List<Frame> frames = cache.frames();
        ByteBuffer[] dark = pick(frames, FrameKind.DARK);
        ByteBuffer[] sample = pick(frames, FrameKind.SAMPLE);
        ByteBuffer[] flat = pick(frames, FrameKind.FLAT);
        log.printf(Locale.ROOT, "bench-sender: rendered %d cached %dx%d frames in %.1f s; sending %d scan(s) of %d frames "
                        + "(%d energies, chunk %d) to %s%n", frames.size(), size, size, (System.nanoTime() - r0) / 1e9,
                scans, plan.framesPerScan(), energies.length, chunk, endpoint);

        ZmqSenderConfig sc = ZmqSenderConfig.defaults().withEndpoint(endpoint, ZmqSenderMode.PUSH_CONNECT)
                .withSndHwm(16).withSendTimeoutMs(60_000).withLingerMs(60_000); // close waits until the last frame is taken
        long sent = 0;
        long t0 = System.nanoTime();
        double cpu0 = ThroughputHarness.processCpuSeconds();
        try (ZmqFrameSender sender = new ZmqFrameSender(sc, new AdZmqEncoder(AdZmqEncoderConfig.defaults()))) {
            for (int s = 0; s < scans; s++) {
                String scanId = base.acquisition().scanId(s);
                int k = 0;
                for (PlannedFrame f : plan.frames(s)) {
                    ByteBuffer[] pool = f.kind() == FrameKind.DARK ? dark : f.kind() == FrameKind.SAMPLE ? sample : flat;
                    double e = f.kind() == FrameKind.DARK ? energies[0] : energies[f.energyIndex()];
                    FrameHeader h = new FrameHeader("bench", scanId, f.frameNumber(), f.kind(), e, size, size,
                            PixelType.UINT16, System.currentTimeMillis() * 1_000_000L, Map.of());
                    if (!sender.sendFrame(h, pool[k++ % pool.length])) {
                        throw new IllegalStateException("frame " + f.frameNumber() + " not taken within 60 s");
                    }
                    sent++;
                }
                if (!sender.endScan(scanId)) {
                    throw new IllegalStateException("end of scan " + scanId + " not taken within 60 s");
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.printf(Locale.ROOT, "bench-sender: sent %d frames in %.2f s = %.1f frames/s (%.2f GB/s), sender CPU %.1f s%n",
                sent, seconds, sent / seconds, sent * 2.0 * size * size / seconds / 1e9, ThroughputHarness.processCpuSeconds() - cpu0);
        return sent;
    }

    private static ByteBuffer[] pick(List<Frame> frames, FrameKind kind) {
        return frames.stream().filter(f -> f.header().kind() == kind).map(Frame::pixels).toArray(ByteBuffer[]::new);
    }
}
