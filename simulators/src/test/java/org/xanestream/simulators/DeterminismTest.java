package org.xanestream.simulators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.Frame;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.sink.InMemoryFrameSink;

class DeterminismTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static List<Frame> run(SimulatorConfig cfg) throws Exception {
        InMemoryFrameSink sink = new InMemoryFrameSink();
        try (XanesSimulator sim = XanesSimulator.create(cfg)) {
            sim.stream(sink, StreamOptions.quiet(CLOCK));
        }
        return sink.frames();
    }

    private static SimulatorConfig config() {
        return TestConfigs.small().withSize(70, 50)
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(2).withScans(2));
    }

    @Test
    void sameSeedGivesIdenticalBytesWhateverTheThreadCount() throws Exception {
        List<Frame> a = run(config().withThreads(1));
        List<Frame> b = run(config().withThreads(2));
        List<Frame> c = run(config().withThreads(3));
        assertEquals(a.size(), b.size());
        assertEquals(a.size(), c.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).header(), b.get(i).header(), "header of frame " + i);
            assertArrayEquals(a.get(i).pixels().array(), b.get(i).pixels().array(), "pixels of frame " + i);
            assertArrayEquals(a.get(i).pixels().array(), c.get(i).pixels().array(), "pixels of frame " + i);
        }
    }

    @Test
    void differentSeedsGiveDifferentFramesAndRepeatedFramesDifferInNoise() throws Exception {
        List<Frame> a = run(config());
        List<Frame> b = run(config().withSeed(2));
        assertFalse(Arrays.equals(a.get(20).pixels().array(), b.get(20).pixels().array()));
        // two sample frames of the same energy share the expectation but not the noise
        assertFalse(Arrays.equals(a.get(2).pixels().array(), a.get(3).pixels().array()));
    }

    @Test
    void truthIsDeterministicToo() throws Exception {
        try (XanesSimulator x = XanesSimulator.create(config()); XanesSimulator y = XanesSimulator.create(config().withThreads(1))) {
            assertArrayEquals(x.phantom().thicknessUm(), y.phantom().thicknessUm());
            assertArrayEquals(x.oxidizedFraction(1), y.oxidizedFraction(1));
            assertArrayEquals(x.drift().xPx(1), y.drift().xPx(1));
            assertArrayEquals(x.noiselessMuImage(1, 3, true), y.noiselessMuImage(1, 3, true));
        }
    }
}
