package org.xanestream.processor.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.xanestream.ingest.FrameKind;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.TestFrames;

class FlatBankTest {
    private final RowParallel rows = new RowParallel(1);

    private FrameAccumulator flatOf(float value) {
        FrameAccumulator acc = new FrameAccumulator(2, 2, rows);
        acc.add(TestFrames.frame("scan", FrameKind.FLAT, 8000, 2, 2, new float[]{value, value, value, value}));
        return acc;
    }

    @Test
    void borrowsTheFlatOfTheNearestRetainedEnergy() {
        FlatBank bank = new FlatBank(4, 3);
        assertEquals(-1, bank.nearest(8300));
        bank.store(8300, flatOf(100), 0.01);
        bank.store(8350, flatOf(200), 0.01);
        bank.store(8400, flatOf(300), 0.01);
        assertEquals(8350, bank.energyEv(bank.nearest(8340)));
        assertEquals(200f, bank.image(bank.nearest(8340))[0]);
        assertEquals(8300, bank.energyEv(bank.nearest(8000)));
        assertEquals(8400, bank.energyEv(bank.nearest(9000)));
        assertEquals(1, bank.frames(bank.nearest(9000)));
    }

    @Test
    void keepsOnlyTheMostRecentFlatsAndReplacesTheSameEnergy() {
        FlatBank bank = new FlatBank(4, 2);
        bank.store(8300, flatOf(100), 0.01);
        bank.store(8350, flatOf(200), 0.01);
        bank.store(8400, flatOf(300), 0.01); // evicts 8300, the oldest
        assertEquals(2, bank.size());
        assertEquals(8350, bank.energyEv(bank.nearest(8000)));
        bank.store(8400.005, flatOf(400), 0.01); // same energy within tolerance: replaced in place
        assertEquals(2, bank.size());
        assertEquals(400f, bank.image(bank.nearest(8400))[0]);
        assertEquals(8350, bank.energyEv(bank.nearest(8360)));
    }
}
