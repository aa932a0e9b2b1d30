package org.xanestream.processor.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Collections;
import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.FakeFitter;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.RecordingListener;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitBuffers;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.TestFrames;
import org.xanestream.processor.drift.DriftConfig;
import org.xanestream.processor.drift.SyntheticScene;

/**
 * The processor thread end to end: uint16 dark/sample/flat frames of a drifting synthetic sample go through a
 * bounded queue; the listener sees each scan in order with drift values matching the truth; the second scan of
 * the series is registered to the first.
 */
class XanesProcessorEndToEndTest {
    private static final int W = 128;
    private static final int H = 112;
    private static final String SRC = "tcp://127.0.0.1:1";
    private final SyntheticScene scene = new SyntheticScene(W, H, 18, 42);
    private final Random noise = new Random(7);

    private Frame frame(String scan, FrameKind kind, double energyEv, double[] values) {
        return TestFrames.frame(TestFrames.header(SRC, scan, kind, energyEv, W, H, PixelType.UINT16), values);
    }

    private double[] counts(double dx, double dy, double contrast, boolean sampleIn) {
        float[] mu = new float[W * H];
        scene.render(W, H, dx, dy, contrast, 0.4, mu);
        double[] v = new double[W * H];
        for (int i = 0; i < v.length; i++) {
            double flat = 20_000 + 30 * (i % W);
            double signal = sampleIn ? flat * Math.exp(-mu[i]) : flat;
            v[i] = Math.max(0, Math.min(65535, Math.round(100 + signal + Math.sqrt(signal) * noise.nextGaussian())));
        }
        return v;
    }

    private void scan(BlockingQueue<IngestEvent> q, String id, double offsetX, double offsetY, double[][] truth)
            throws InterruptedException {
        double[] dark = new double[W * H];
        java.util.Arrays.fill(dark, 100);
        for (int i = 0; i < 2; i++) {
            q.put(frame(id, FrameKind.DARK, Double.NaN, dark));
        }
        for (int k = 0; k < truth.length; k++) {
            double e = 8330 + 2.5 * k;
            double dx = offsetX + 0.18 * k;
            double dy = offsetY - 0.11 * k;
            truth[k][0] = dx;
            truth[k][1] = dy;
            double contrast = 0.5 + 0.1 * k; // the absorption of one material rises across the edge
            for (int i = 0; i < 2; i++) {
                q.put(frame(id, FrameKind.SAMPLE, e, counts(dx, dy, contrast, true)));
            }
            for (int i = 0; i < 2; i++) {
                q.put(frame(id, FrameKind.FLAT, e, counts(0, 0, 0, false)));
            }
        }
        q.put(new EndOfScan(SRC, id));
    }

    @Test
    void processorThreadReportsDriftCorrectedPointsAndFinalMapsForEachScanOfASeries() throws Exception {
        BlockingQueue<IngestEvent> q = new ArrayBlockingQueue<>(8);
        RecordingListener listener = new RecordingListener(2);
        AtomicLong clock = new AtomicLong(0);
        ProcessorConfig cfg = ProcessorConfig.defaults().withThreads(2).withMapsIntervalMs(0)
                .withDrift(DriftConfig.defaults().withBin(1));
        XanesProcessor processor = new XanesProcessor(cfg, FakeFitter::new, listener, IngestEventSource.of(q),
                clock::incrementAndGet);
        processor.start();
        double[][] truth1 = new double[8][2];
        double[][] truth2 = new double[8][2];
        scan(q, "scan-1", 0, 0, truth1);
        scan(q, "scan-2", 3.2, -1.7, truth2);
        assertTrue(listener.ended.await(60, TimeUnit.SECONDS), "both scans ended");
        processor.close();

        List<String> calls = listener.calls;
        assertEquals("start scan-1", calls.get(0));
        int end1 = calls.indexOf("end scan-1");
        assertEquals("final maps scan-1 v8", calls.get(end1 - 1));
        assertEquals("start scan-2", calls.get(end1 + 1));
        assertEquals("end scan-2", calls.get(calls.size() - 1));
        assertEquals("final maps scan-2 v8", calls.get(calls.size() - 2));

        List<EnergyPoint> points = listener.points;
        assertEquals(16, points.size());
        double sq = 0;
        for (int k = 0; k < 16; k++) {
            EnergyPoint p = points.get(k);
            double[] t = k < 8 ? truth1[k] : truth2[k - 8];
            assertEquals(t[0], p.driftXPx(), 0.12, "dx of point " + k);
            assertEquals(t[1], p.driftYPx(), 0.12, "dy of point " + k);
            assertFalse(p.driftReplaced(), "point " + k);
            sq += Math.pow(t[0] - p.driftXPx(), 2) + Math.pow(t[1] - p.driftYPx(), 2);
        }
        double rms = Math.sqrt(sq / 16);
        assertTrue(rms < 0.08, "drift RMS error " + rms);

        // Aligned images overlay: pixels inside a particle agree between first and last point of scan 2
        // and with scan 1 (same series coordinates), up to the contrast change and noise.
        MapsSnapshot final1 = listener.ends.get(0).finalMaps();
        MapsSnapshot final2 = listener.ends.get(1).finalMaps();
        float[] m1 = final1.maps().get("mean_mu");
        float[] m2 = final2.maps().get("mean_mu");
        double diff = 0;
        int n = 0;
        for (int y = 10; y < H - 10; y++) {
            for (int x = 10; x < W - 10; x++) {
                int i = y * W + x;
                if (Float.isFinite(m1[i]) && Float.isFinite(m2[i])) {
                    diff += Math.abs(m1[i] - m2[i]);
                    n++;
                }
            }
        }
        assertTrue(diff / n < 0.02, "mean maps of the two scans overlay, mean |diff| " + diff / n);
        assertTrue(Float.isNaN(points.get(15).alignedMu()[W - 1]) || Float.isNaN(points.get(15).alignedMu()[0]),
                "shifted-in border is NaN");

        ProcessorStats st = processor.stats();
        assertEquals(2, st.scansStarted());
        assertEquals(2, st.scansEnded());
        assertEquals(16, st.energyPoints());
        assertEquals(2 * (2 + 8 * 4), st.framesAccumulated());
        assertEquals(0, st.processingErrors());
        assertTrue(st.driftEstimates() >= 15, "estimates " + st.driftEstimates());
        assertTrue(st.meanDriftConfidence() > 0.3, "confidence " + st.meanDriftConfidence());
    }

    @Test
    void realIncrementalFitterRunsBehindTheProcessorThroughTheIngestQueue() throws Exception {
        BoundedEventQueue q = new BoundedEventQueue(EventQueueConfig.defaults());
        RecordingListener listener = new RecordingListener(1);
        AtomicLong clock = new AtomicLong(0);
        ProcessorConfig cfg = ProcessorConfig.defaults().withThreads(2).withMapsIntervalMs(0)
                .withDrift(DriftConfig.defaults().withBin(1));
        RowParallel fitRows = new RowParallel(1);
        XanesProcessor processor = new XanesProcessor(cfg,
                info -> new IncrementalXanesFit(FitSettings.defaults(ElementPreset.of(info.element())), info.width(),
                        info.height(), fitRows),
                listener, IngestEventSource.of(q), clock::incrementAndGet);
        processor.start();
        BlockingQueue<IngestEvent> staging = new ArrayBlockingQueue<>(64);
        scan(staging, "scan-r", 0, 0, new double[8][2]);
        for (IngestEvent ev; (ev = staging.poll()) != null; ) {
            assertTrue(q.put(ev, 60, TimeUnit.SECONDS));
        }
        assertTrue(listener.ended.await(60, TimeUnit.SECONDS), "scan ended");
        processor.close();
        fitRows.close();
        MapsSnapshot fin = listener.ends.get(0).finalMaps();
        assertTrue(fin.finalSnapshot());
        assertEquals(8, fin.version());
        assertTrue(fin.maps().containsKey("whiteline_ev"), "maps " + fin.maps().keySet());
        assertEquals(W * H, fin.maps().get("whiteline_ev").length);
        assertEquals(0, processor.stats().processingErrors());
    }

    @Test
    void liveMapsOfImagesLargerThanTheLiveSideAreFittedOnTheBinnedStackAndFinalMapsAtFullResolution() throws Exception {
        for (int maxSide : new int[] {32, 0}) {
            BoundedEventQueue q = new BoundedEventQueue(EventQueueConfig.defaults());
            RecordingListener listener = new RecordingListener(1);
            AtomicLong clock = new AtomicLong(0);
            ProcessorConfig cfg = ProcessorConfig.defaults().withThreads(2).withMapsIntervalMs(0)
                    .withDrift(DriftConfig.defaults().withBin(1)).withLiveMapsMaxSide(maxSide);
            RowParallel fitRows = new RowParallel(1);
            List<String> created = Collections.synchronizedList(new ArrayList<>());
            XanesProcessor processor = new XanesProcessor(cfg, info -> {
                created.add(info.width() + "x" + info.height());
                return new IncrementalXanesFit(FitSettings.defaults(ElementPreset.of(info.element())), info.width(),
                        info.height(), fitRows);
            }, listener, IngestEventSource.of(q), clock::incrementAndGet);
            processor.start();
            BlockingQueue<IngestEvent> staging = new ArrayBlockingQueue<>(64);
            scan(staging, "scan-b", 0, 0, new double[8][2]);
            for (IngestEvent ev; (ev = staging.poll()) != null; ) {
                assertTrue(q.put(ev, 60, TimeUnit.SECONDS));
            }
            assertTrue(listener.ended.await(60, TimeUnit.SECONDS), "scan ended");
            processor.close();
            fitRows.close();
            List<MapsSnapshot> live = listener.maps.stream().filter(m -> !m.finalSnapshot()).toList();
            assertEquals(7, live.size(), "a live snapshot after every point but the last");
            int bin = maxSide == 0 ? 1 : 4; // ceil(128 / 32)
            assertEquals(maxSide == 0 ? List.of(W + "x" + H) : List.of(W + "x" + H, "32x28"), created);
            for (MapsSnapshot m : live) {
                assertEquals(bin, m.bin());
                assertEquals((W + bin - 1) / bin, m.width());
                assertEquals((H + bin - 1) / bin, m.height());
                assertEquals(W, m.sourceWidth());
                assertEquals(H, m.sourceHeight());
                assertEquals(m.width() * m.height(), m.maps().get("whiteline_ev").length);
            }
            MapsSnapshot fin = listener.ends.get(0).finalMaps();
            assertEquals(1, fin.bin());
            assertEquals(W * H, fin.maps().get("whiteline_ev").length);
            assertEquals(8, fin.version());
            assertEquals(0, processor.stats().processingErrors());
        }
    }

    @Test
    void liveMapsAreReleasedAfterOnMapsOnlyForAListenerThatFollowsLeasesAndEndedScansGiveTheirPlanesToTheNext()
            throws Exception {
        for (boolean follows : new boolean[] {true, false}) {
            BoundedEventQueue q = new BoundedEventQueue(EventQueueConfig.defaults());
            RecordingListener rec = new RecordingListener(2);
            List<MapsSnapshot> kept = Collections.synchronizedList(new ArrayList<>());
            List<Integer> holdersDuring = Collections.synchronizedList(new ArrayList<>());
            ProcessorListener listener = new ProcessorListener() {
                @Override
                public void onScanStart(ScanInfo scan) {
                    rec.onScanStart(scan);
                }

                @Override
                public void onMaps(MapsSnapshot m) {
                    rec.onMaps(m);
                    if (!m.finalSnapshot()) {
                        holdersDuring.add(m.lease().holders());
                    }
                    if (!m.finalSnapshot() && kept.isEmpty()) {
                        kept.add(m.retain()); // read after the call: held
                    }
                }

                @Override
                public void onScanEnd(ScanEnd end) {
                    rec.onScanEnd(end);
                }

                @Override
                public boolean followsMapsLeases() {
                    return follows;
                }
            };
            AtomicLong clock = new AtomicLong(0);
            ProcessorConfig cfg = ProcessorConfig.defaults().withThreads(2).withMapsIntervalMs(0)
                    .withDrift(DriftConfig.defaults().withBin(1)).withLiveMapsMaxSide(0);
            RowParallel fitRows = new RowParallel(1);
            FitBuffers buffers = new FitBuffers(1L << 30);
            XanesProcessor processor = new XanesProcessor(cfg,
                    info -> new IncrementalXanesFit(FitSettings.defaults(ElementPreset.of(info.element())), info.width(),
                            info.height(), fitRows, buffers),
                    listener, IngestEventSource.of(q), clock::incrementAndGet);
            processor.start();
            BlockingQueue<IngestEvent> staging = new ArrayBlockingQueue<>(128);
            scan(staging, "scan-a", 0, 0, new double[6][2]);
            scan(staging, "scan-b", 0.5, 0, new double[6][2]);
            for (IngestEvent ev; (ev = staging.poll()) != null; ) {
                assertTrue(q.put(ev, 60, TimeUnit.SECONDS));
            }
            assertTrue(rec.ended.await(60, TimeUnit.SECONDS), "scans ended");
            processor.close();
            fitRows.close();
            assertEquals(0, processor.stats().processingErrors());
            List<MapsSnapshot> live = rec.maps.stream().filter(m -> !m.finalSnapshot()).toList();
            assertEquals(10, live.size(), "a live snapshot after every point but the last of each scan");
            assertEquals(10, holdersDuring.size());
            assertTrue(holdersDuring.stream().allMatch(h -> h == 1), "the processor holds each during onMaps");
            MapsSnapshot held = kept.get(0);
            for (MapsSnapshot m : live) {
                assertEquals(follows && m != held, m.released(), "live v" + m.version() + " of " + m.scanId());
                if (m != held) {
                    for (float[] a : m.maps().values()) {
                        assertTrue(held.maps().values().stream().noneMatch(b -> b == a), "a held array was reused");
                    }
                }
            }
            // arrays of released live maps serve later snapshots; none otherwise
            long reusedMaps = live.stream().flatMap(m -> m.maps().values().stream())
                    .map(System::identityHashCode).distinct().count();
            int maps = live.get(0).maps().size();
            if (follows) {
                assertTrue(reusedMaps < (long) maps * live.size(), "reused map arrays: " + reusedMaps);
            } else {
                assertEquals((long) maps * live.size(), reusedMaps);
            }
            rec.ends.forEach(e -> assertEquals(null, e.finalMaps().lease(), "final maps are never reused"));
            // the first scan's fitter was closed and its planes went to the second's
            assertTrue(buffers.reused() > 0, "arrays reused: " + buffers.reused());
            held.release();
            assertEquals(follows, held.released());
        }
    }
}
