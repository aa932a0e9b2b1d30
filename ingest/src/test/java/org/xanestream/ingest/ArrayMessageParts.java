package org.xanestream.ingest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@link MessageParts} over byte arrays, for decoder tests without a transport. */
public final class ArrayMessageParts implements MessageParts {
    private final ByteBuffer[] parts;

    public ArrayMessageParts(List<byte[]> parts) {
        this.parts = new ByteBuffer[parts.size()];
        for (int i = 0; i < this.parts.length; i++) {
            this.parts[i] = ByteBuffer.wrap(parts.get(i)).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    public static ArrayMessageParts of(byte[]... parts) {
        return new ArrayMessageParts(List.of(parts));
    }

    public static ArrayMessageParts of(String header, byte[] payload) {
        return of(header.getBytes(StandardCharsets.UTF_8), payload);
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
