package org.xanestream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    @Test
    void theLeaseRunsItsReturnOnceAfterTheLastHolderAndTravelsWithTheBinnedView() {
        int[] freed = new int[1];
        MapsLease lease = MapsLease.of(() -> freed[0]++);
        MapsSnapshot m = new MapsSnapshot("s", 2, false, 3, 2, Map.of("a", new float[6]), null, false, 0, 1, 3, 2,
                lease);
        MapsSnapshot binned = m.binnedFrom(2, 6, 4);
        assertSame(lease, binned.lease());
        binned.retain();
        assertEquals(2, lease.holders());
        m.release();
        assertEquals(0, freed[0]);
        assertFalse(m.released());
        binned.release();
        assertEquals(1, freed[0]);
        assertTrue(m.released());
        assertThrows(IllegalStateException.class, m::release);
        assertThrows(IllegalStateException.class, m::retain);
        assertEquals(1, freed[0]);
        // without a lease: nothing to hold, never released
        MapsSnapshot plain = new MapsSnapshot("s", 1, false, 3, 2, Map.of(), null, false, 0);
        plain.retain().release();
        plain.release();
        assertFalse(plain.released());
        assertNull(plain.lease());
    }
}
