package org.xanestream.ingest.dectris;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.xanestream.ingest.MessageParts;

/**
 * A message built from byte arrays, as heap or direct little-endian buffers (what a JeroMQ receiver
 * hands over), each with a nonzero position so decoders must honour {@code position()}.
 */
final class ListParts implements MessageParts {
    private final ByteBuffer[] parts;

    private ListParts(ByteBuffer[] parts) {
        this.parts = parts;
    }

    static ListParts heap(List<byte[]> arrays) {
        ByteBuffer[] b = new ByteBuffer[arrays.size()];
        for (int i = 0; i < b.length; i++) {
            byte[] a = arrays.get(i);
            byte[] padded = new byte[a.length + 3];
            System.arraycopy(a, 0, padded, 3, a.length);
            b[i] = ByteBuffer.wrap(padded, 3, a.length).order(ByteOrder.LITTLE_ENDIAN);
        }
        return new ListParts(b);
    }

    static ListParts direct(List<byte[]> arrays) {
        ByteBuffer[] b = new ByteBuffer[arrays.size()];
        for (int i = 0; i < b.length; i++) {
            byte[] a = arrays.get(i);
            ByteBuffer d = ByteBuffer.allocateDirect(a.length + 5).order(ByteOrder.LITTLE_ENDIAN);
            d.position(5);
            d.put(a);
            d.position(5);
            b[i] = d;
        }
        return new ListParts(b);
    }

    /** Copies a message whose arrays the encoder will reuse. */
    static List<byte[]> copy(List<byte[]> parts) {
        List<byte[]> out = new ArrayList<>(parts.size());
        for (byte[] p : parts) {
            out.add(p.clone());
        }
        return out;
    }

    @Override
    public int count() {
        return parts.length;
    }

    @Override
    public ByteBuffer part(int i) {
        return parts[i];
    }
}
