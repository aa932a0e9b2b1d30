package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FitBuffersTest {
    @Test
    void arraysComeBackByKindAndLengthNewestFirst() {
        FitBuffers b = new FitBuffers(1000);
        double[] p1 = new double[10];
        double[] p2 = new double[10];
        double[] p3 = new double[20];
        float[] m1 = new float[10];
        b.givePlane(p1);
        b.givePlane(p2);
        b.givePlane(p3);
        b.giveMap(m1);
        assertEquals(8 * 40 + 4 * 10, b.bytes());
        assertNull(b.takeMap(20), "no map of that length");
        assertNull(b.takePlane(5));
        assertSame(p2, b.takePlane(10));
        assertSame(p1, b.takePlane(10));
        assertNull(b.takePlane(10));
        assertSame(m1, b.takeMap(10), "a map is not a plane of the same length");
        assertSame(p3, b.takePlane(20));
        assertEquals(0, b.bytes());
        assertEquals(4, b.reused());
    }

    @Test
    void keepingANewArrayBeyondTheBoundDropsTheOldestAndTooLargeArraysAreNotKept() {
        FitBuffers b = new FitBuffers(8 * 25);
        double[] old = new double[10];
        double[] mid = new double[10];
        double[] fresh = new double[10];
        b.givePlane(old);
        b.givePlane(mid);
        b.givePlane(fresh);
        assertEquals(8 * 20, b.bytes());
        assertSame(fresh, b.takePlane(10));
        assertSame(mid, b.takePlane(10));
        assertNull(b.takePlane(10), "the oldest was dropped");
        b.givePlane(new double[26]);
        assertEquals(0, b.bytes(), "larger than the bound");
        FitBuffers none = new FitBuffers(0);
        none.giveMap(new float[1]);
        assertEquals(0, none.bytes());
        b.giveMap(new float[4]);
        b.clear();
        assertEquals(0, b.bytes());
        assertThrows(IllegalArgumentException.class, () -> new FitBuffers(-1));
    }
}
