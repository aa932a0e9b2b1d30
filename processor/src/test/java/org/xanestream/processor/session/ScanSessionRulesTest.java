package org.xanestream.processor.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.FakeFitter;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.RecordingListener;
import org.xanestream.processor.TestFrames;
import org.xanestream.processor.drift.DriftConfig;

/** Session completion rules, driven synchronously through {@link XanesProcessor#process}. */
class ScanSessionRulesTest {
    private static final int W = 16;
    private static final int H = 8;
    private static final String SRC = "test://src";

    private final long[] clock = {1_000_000L};
    private final RecordingListener listener = new RecordingListener();
    private final List<FakeFitter> fitters = new ArrayList<>();
    private XanesProcessor processor;

    private XanesProcessor processor(ProcessorConfig cfg) {
        processor = new XanesProcessor(cfg, info -> {
            FakeFitter f = new FakeFitter(info);
            fitters.add(f);
            return f;
        }, listener, (t, u) -> null, () -> clock[0]);
        return processor;
    }

    private static ProcessorConfig noDrift() {
        return ProcessorConfig.defaults().withDrift(DriftConfig.defaults().withEnabled(false)).withThreads(1)
                .withMapsIntervalMs(0);
    }

    @AfterEach
    void close() {
        if (processor != null) {
            processor.close();
        }
    }

    private static Frame frame(String scan, FrameKind kind, double energyEv, float value) {
        float[] v = new float[W * H];
        Arrays.fill(v, value);
        Frame f = TestFrames.frame(scan, kind, energyEv, W, H, v);
        return f;
    }

    private void send(String scan, FrameKind kind, double energyEv, float value, int count) {
        for (int i = 0; i < count; i++) {
            processor.process(frame(scan, kind, energyEv, value));
        }
    }

    private static double mu(double sample, double flat, double dark) {
        return -Math.log((sample - dark) / (flat - dark));
    }

    @Test
    void fxiOrderCompletesEachPointWhenTheNextEnergyStartsAndTheLastAtEndOfScan() {
        processor(noDrift());
        send("s1", FrameKind.DARK, Double.NaN, 100, 3);
        send("s1", FrameKind.SAMPLE, 8330, 600, 2);
        send("s1", FrameKind.FLAT, 8330, 1100, 2);
        assertEquals(0, listener.points.size(), "point still open");
        send("s1", FrameKind.SAMPLE, 8340, 400, 1);
        assertEquals(1, listener.points.size(), "next energy completes the previous point");
        send("s1", FrameKind.SAMPLE, 8340, 400, 1);
        send("s1", FrameKind.FLAT, 8340, 1300, 2);
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(2, listener.points.size());
        EnergyPoint p0 = listener.points.get(0);
        assertEquals(0, p0.index());
        assertEquals(8330, p0.energyEv());
        assertEquals(2, p0.frames());
        assertEquals(2, p0.flats());
        assertEquals(8330, p0.flatEnergyEv());
        assertEquals(mu(600, 1100, 100), p0.alignedMu()[37], 1e-5);
        assertEquals(mu(600, 1100, 100), p0.meanMu(), 1e-5);
        EnergyPoint p1 = listener.points.get(1);
        assertEquals(mu(400, 1300, 100), p1.alignedMu()[0], 1e-5);
        assertEquals(List.of("start s1", "point s1 8330.0", "maps s1 v1", "point s1 8340.0",
                "final maps s1 v2", "end s1"), listener.calls);
        assertEquals(1, listener.ends.size());
        assertEquals(2, listener.ends.get(0).energiesDone());
        assertEquals(11, listener.ends.get(0).framesReceived());
        assertArrayEquals(new double[]{8330, 8340}, listener.ends.get(0).energiesEv());
        assertEquals(11, processor.stats().framesAccumulated());
        assertEquals(3, processor.stats().darkFrames());
        assertEquals(2, processor.stats().energyPoints());
    }

    @Test
    void plannedFrameCountsCompleteAPointWithoutWaitingForTheNextEnergy() {
        processor(noDrift().withSession(SessionConfig.defaults().withPlannedCounts(2, 2)));
        send("s1", FrameKind.DARK, Double.NaN, 100, 1);
        send("s1", FrameKind.SAMPLE, 8330, 600, 2);
        assertEquals(0, listener.points.size());
        send("s1", FrameKind.FLAT, 8330, 1100, 1);
        assertEquals(0, listener.points.size());
        send("s1", FrameKind.FLAT, 8330, 1100, 1);
        assertEquals(1, listener.points.size(), "2 samples + 2 flats complete the point");
    }

    @Test
    void pointWithoutItsOwnFlatBorrowsTheNearestEnergysFlatAndSaysWhich() {
        processor(noDrift());
        send("s1", FrameKind.DARK, Double.NaN, 100, 1);
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        send("s1", FrameKind.FLAT, 8330, 1100, 1);
        send("s1", FrameKind.SAMPLE, 8400, 500, 1);
        send("s1", FrameKind.FLAT, 8400, 900, 1);
        send("s1", FrameKind.SAMPLE, 8390, 450, 1); // no flat: nearest retained is 8400
        send("s1", FrameKind.SAMPLE, 8335, 450, 1); // no flat: nearest retained is 8330
        processor.process(new EndOfScan(SRC, null));
        assertEquals(4, listener.points.size());
        EnergyPoint p2 = listener.points.get(2);
        assertEquals(8390, p2.energyEv());
        assertEquals(8400, p2.flatEnergyEv());
        assertEquals(mu(450, 900, 100), p2.alignedMu()[5], 1e-5);
        EnergyPoint p3 = listener.points.get(3);
        assertEquals(8330, p3.flatEnergyEv());
        assertEquals(mu(450, 1100, 100), p3.alignedMu()[5], 1e-5);
        assertEquals(2, processor.stats().borrowedFlats());
    }

    @Test
    void pointsBeforeTheFirstFlatWaitForItAndArePublishedOnceItArrives() {
        processor(noDrift());
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        send("s1", FrameKind.SAMPLE, 8340, 700, 1);
        send("s1", FrameKind.FLAT, 8350, 1000, 2); // a flats-only point
        assertEquals(0, listener.points.size());
        send("s1", FrameKind.SAMPLE, 8360, 800, 1);
        assertEquals(2, listener.points.size(), "the flats-only point released the two waiting points");
        assertEquals(8350, listener.points.get(0).flatEnergyEv());
        assertEquals(mu(600, 1000, 0), listener.points.get(0).alignedMu()[0], 1e-5, "no dark: D = 0");
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(3, listener.points.size());
        assertEquals(3, processor.stats().pointsWithoutDark());
    }

    @Test
    void scanEndingWithoutAnyFlatDropsItsPointsAndCountsThem() {
        processor(noDrift());
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        send("s1", FrameKind.SAMPLE, 8340, 600, 1);
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(0, listener.points.size());
        assertEquals(2, processor.stats().pointsWithoutFlat());
        assertEquals(List.of("start s1", "final maps s1 v0", "end s1"), listener.calls);
    }

    @Test
    void unsortedAndRepeatedEnergiesReachTheFitterOnceEachAndTheStackSorted() {
        processor(noDrift());
        double[] energies = {8350, 8330, 8340, 8330};
        for (double e : energies) {
            send("s1", FrameKind.SAMPLE, e, 500, 1);
            send("s1", FrameKind.FLAT, e, 1000, 1);
        }
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(List.of(8350.0, 8330.0, 8340.0, 8330.0), fitters.get(0).energiesEv);
        assertArrayEquals(new double[]{8330, 8330, 8340, 8350}, listener.ends.get(0).energiesEv());
        assertEquals(4, listener.ends.get(0).finalMaps().version());
        for (int i = 0; i < 4; i++) {
            assertTrue(fitters.get(0).images.get(i) == listener.points.get(i).alignedMu(), "same array, once");
        }
    }

    @Test
    void transmissionFramesGiveMinusLogT() {
        processor(noDrift());
        send("s1", FrameKind.TRANSMISSION, 8330, 0.25f, 2);
        send("s1", FrameKind.TRANSMISSION, 8340, 0.5f, 1);
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(2, listener.points.size());
        assertEquals(-Math.log(0.25), listener.points.get(0).alignedMu()[3], 1e-6);
        assertEquals(2, listener.points.get(0).frames());
        assertEquals(-Math.log(0.5), listener.points.get(1).meanMu(), 1e-6);
    }

    @Test
    void detectorMaskedPixelsAreNaN() {
        processor(noDrift());
        byte[] mask = new byte[W * H];
        mask[9] = 1;
        Frame s = frame("s1", FrameKind.SAMPLE, 8330, 600);
        s.setPixelMask(mask);
        processor.process(s);
        send("s1", FrameKind.FLAT, 8330, 1000, 1);
        processor.process(new EndOfScan(SRC, "s1"));
        float[] mu = listener.points.get(0).alignedMu();
        assertTrue(Float.isNaN(mu[9]));
        assertEquals(mu(600, 1000, 0), mu[10], 1e-5);
    }

    @Test
    void newScanIdOnTheSameSourceEndsThePreviousScanAndContinuesTheSeries() {
        processor(noDrift());
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        send("s1", FrameKind.FLAT, 8330, 1000, 1);
        send("s2", FrameKind.SAMPLE, 8330, 600, 1);
        assertEquals(List.of("start s1", "point s1 8330.0", "final maps s1 v1", "end s1", "start s2"),
                listener.calls);
        assertEquals(0, listener.starts.get(0).seriesIndex());
        assertEquals(1, listener.starts.get(1).seriesIndex());
        assertEquals("Ni", listener.starts.get(1).element());
        assertEquals(8347, listener.starts.get(1).edgeEv());
    }

    @Test
    void endOfScanForAnotherScanIdIsCountedAndIgnored() {
        processor(noDrift());
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        processor.process(new EndOfScan(SRC, "other"));
        processor.process(new EndOfScan("test://elsewhere", null));
        assertEquals(2, processor.stats().unmatchedEndOfScan());
        assertTrue(listener.ends.isEmpty());
    }

    @Test
    void frameOfAnotherSizeInsideAScanIsRefusedCountedAndReleased() throws Exception {
        processor(noDrift());
        FramePool pool = new FramePool(64 * 1024);
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        FrameHeader small = TestFrames.header(SRC, "s1", FrameKind.SAMPLE, 8330, 4, 4, PixelType.UINT16);
        Frame f = pool.acquire(small.payloadBytes(), 0, TimeUnit.MILLISECONDS);
        f.reset(small);
        processor.process(f);
        assertEquals(1, processor.stats().framesRejected());
        assertNotNull(pool.acquire(small.payloadBytes(), 0, TimeUnit.MILLISECONDS), "the frame went back to the pool");
        send("s1", FrameKind.FLAT, 8330, 1000, 1);
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(1, listener.points.size());
        assertEquals(1, listener.ends.get(0).framesRejected());
    }

    @Test
    void liveMapsFollowTheConfiguredIntervalOnTheInjectedClock() {
        processor(noDrift().withMapsIntervalMs(1000));
        for (int k = 0; k < 6; k++) {
            send("s1", FrameKind.SAMPLE, 8300 + k, 600, 1);
            send("s1", FrameKind.FLAT, 8300 + k, 1000, 1);
            clock[0] += 400;
        }
        processor.process(new EndOfScan(SRC, "s1"));
        // Points complete at +400 (when k=1 starts), +800, +1200 (live maps), +1600, +2000, and at the end
        // (+2400), where the final snapshot replaces the live one.
        List<String> maps = listener.calls.stream().filter(c -> c.contains("maps")).toList();
        assertEquals(List.of("maps s1 v3", "final maps s1 v6"), maps);
    }

    @Test
    void throwingListenerIsCountedAndTheStreamGoesOn() {
        ProcessorListener bad = new ProcessorListener() {
            @Override
            public void onEnergyPoint(EnergyPoint point) {
                throw new IllegalStateException("boom");
            }
        };
        processor = new XanesProcessor(noDrift(), FakeFitter::new, bad, (t, u) -> null, () -> clock[0]);
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        send("s1", FrameKind.FLAT, 8330, 1000, 1);
        send("s1", FrameKind.SAMPLE, 8340, 600, 1);
        send("s1", FrameKind.FLAT, 8340, 1000, 1);
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(2, processor.stats().listenerErrors());
        assertEquals(2, processor.stats().energyPoints());
        assertEquals(1, processor.stats().scansEnded());
    }

    /** Deferred fit work runs after a point's results went out; if it fails, that is counted and the stream goes on. */
    @Test
    void theFitterCatchesUpAfterEachPointsResultsAndAFailureIsCountedAndTheStreamGoesOn() {
        processor(noDrift());
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        send("s1", FrameKind.FLAT, 8330, 1000, 1);
        fitters.get(0).onCatchUp = () -> listener.calls.add("catch-up");
        send("s1", FrameKind.SAMPLE, 8340, 600, 1);
        send("s1", FrameKind.FLAT, 8340, 1000, 1);
        fitters.get(0).onCatchUp = () -> {
            throw new IllegalStateException("deferred work failed");
        };
        send("s1", FrameKind.SAMPLE, 8350, 600, 1);
        send("s1", FrameKind.FLAT, 8350, 1000, 1);
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(List.of("start s1", "point s1 8330.0", "maps s1 v1", "catch-up", "point s1 8340.0",
                "maps s1 v2", "point s1 8350.0", "final maps s1 v3", "end s1"), listener.calls);
        assertEquals(2, processor.stats().processingErrors(), "the two failed catch-ups (8340 and 8350 points)");
        assertEquals(3, processor.stats().energyPoints());
    }

    @Test
    void failingFitterFactoryIsCountedAndLaterFramesStillWork() {
        boolean[] fail = {true};
        processor = new XanesProcessor(noDrift(), info -> {
            if (fail[0]) {
                throw new IllegalStateException("no fitter");
            }
            return new FakeFitter(info);
        }, listener, (t, u) -> null, () -> clock[0]);
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        assertEquals(1, processor.stats().processingErrors());
        fail[0] = false;
        send("s1", FrameKind.SAMPLE, 8330, 600, 1);
        send("s1", FrameKind.FLAT, 8330, 1000, 1);
        processor.process(new EndOfScan(SRC, "s1"));
        assertEquals(1, listener.points.size());
        assertEquals(1, listener.ends.size());
    }
}
