package org.xanestream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MapsSnapshotTest {
    @Test
    void fullResolutionSnapshotsHaveBinOneAndTheirOwnSizeAsSource() {
        MapsSnapshot m = new MapsSnapshot("s", 3, false, 5, 4, Map.of("a", new float[20]), null, false, 7);
        assertEquals(1, m.bin());
        assertEquals(5, m.sourceWidth());
        assertEquals(4, m.sourceHeight());
        MapsSnapshot b = new MapsSnapshot("s", 3, false, 3, 2, Map.of("a", new float[6]), null, false, 7)
                .binnedFrom(2, 5, 4);
        assertEquals(2, b.bin());
        assertEquals(5, b.sourceWidth());
        assertEquals(3, b.version());
    }

    @Test
    void refusesASizeThatIsNotTheSourceBinnedAndBinnedFinalMaps() {
        MapsSnapshot small = new MapsSnapshot("s", 1, false, 3, 2, Map.of(), null, false, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.binnedFrom(2, 8, 4));
        assertTrue(e.getMessage().contains("8x4 binned by 2"), e.getMessage());
        MapsSnapshot fin = new MapsSnapshot("s", 1, true, 3, 2, Map.of(), null, false, 0);
        assertThrows(IllegalArgumentException.class, () -> fin.binnedFrom(2, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> small.binnedFrom(0, 3, 2));
    }
}
