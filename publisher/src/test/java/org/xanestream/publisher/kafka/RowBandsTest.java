package org.xanestream.publisher.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class RowBandsTest {

    @Test
    void bandsOfA2048WideMapStayBelow900KiB() {
        int rows = RowBands.rowsPerBand(2048, 900 * 1024);
        assertEquals(112, rows);
        assertTrue(rows * 2048 * 4 <= 900 * 1024);
        assertEquals(19, RowBands.bandCount(2048, rows));
        assertEquals(1, RowBands.rowsPerBand(300_000, 900 * 1024), "a row wider than the limit still makes a band");
    }

    @Test
    void encodesRowsAsLittleEndianFloat32BitExact() {
        float[] src = {1.5f, Float.NaN, -0f, Float.MIN_VALUE, 3e38f, -7.25f};
        byte[] band = RowBands.encodeRows(src, 2, 1, 2);
        assertEquals(16, band.length);
        ByteBuffer b = ByteBuffer.wrap(band).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            assertEquals(Float.floatToRawIntBits(src[2 + i]), b.getInt(4 * i));
        }
    }
}
