package org.xanestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameSequenceMonitorTest {
    private static void record(FrameSequenceMonitor m, String scan, long... numbers) {
        for (long n : numbers) {
            m.recordAccepted(scan, n, 8, 4, PixelType.UINT16);
        }
    }

    @Test
    void countsGapsRepeatsAndBackwardJumps() {
        FrameSequenceMonitor m = new FrameSequenceMonitor();
        record(m, "s", 10, 11, 14, 14, 15, 12, 13, 20);
        assertEquals(8, m.framesRecorded());
        assertEquals(2, m.gapEvents());
        assertEquals(2 + 6, m.missingFrames());
        assertEquals(1, m.repeats());
        assertEquals(1, m.outOfOrder());
    }

    @Test
    void unknownFrameNumbersAreNotSequenceChecked() {
        FrameSequenceMonitor m = new FrameSequenceMonitor();
        record(m, "s", -1, -1, 5, -1, 6);
        assertEquals(0, m.gapEvents());
        assertEquals(0, m.repeats());
        assertEquals(5, m.framesRecorded());
    }

    @Test
    void eachScanHasItsOwnSequenceAndSize() {
        FrameSequenceMonitor m = new FrameSequenceMonitor();
        record(m, "a", 0, 1);
        record(m, "b", 100, 101);
        record(m, "a", 2);
        assertEquals(0, m.gapEvents());
        assertTrue(m.sizeMatches("a", 8, 4, PixelType.UINT16));
        assertFalse(m.sizeMatches("a", 4, 8, PixelType.UINT16));
        assertFalse(m.sizeMatches("a", 8, 4, PixelType.UINT32));
        assertTrue(m.sizeMatches("new", 1, 1, PixelType.UINT8));
        assertEquals("8x4 uint16", m.describeScanSize("a"));
        assertEquals("none", m.describeScanSize("new"));
    }

    @Test
    void endScanForgetsSizeAndSequence() {
        FrameSequenceMonitor m = new FrameSequenceMonitor();
        record(m, "a", 0, 1);
        m.endScan("a");
        assertTrue(m.sizeMatches("a", 2, 2, PixelType.UINT8));
        m.recordAccepted("a", 50, 2, 2, PixelType.UINT8);
        assertEquals(0, m.gapEvents());
        assertFalse(m.sizeMatches("a", 8, 4, PixelType.UINT16));
    }

    @Test
    void forgetsTheLeastRecentlyUsedScanBeyondItsCapacity() {
        FrameSequenceMonitor m = new FrameSequenceMonitor(2);
        record(m, "a", 0);
        record(m, "b", 0);
        record(m, "a", 1);     // a is now more recent than b
        record(m, "c", 0);     // evicts b
        assertTrue(m.sizeMatches("b", 1, 1, PixelType.UINT8), "b was forgotten");
        assertFalse(m.sizeMatches("a", 1, 1, PixelType.UINT8), "a is still known");
        assertFalse(m.sizeMatches("c", 1, 1, PixelType.UINT8), "c is known");
    }
}
