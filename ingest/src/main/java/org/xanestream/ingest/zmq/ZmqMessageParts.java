package org.xanestream.ingest.zmq;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import org.xanestream.ingest.MessageParts;
import zmq.Msg;

/**
 * The parts of one received message, as {@link MessageParts} for a decoder. Holds the JeroMQ messages
 * until {@link #release()} returns their buffers to the allocator. Reused for every message; used only
 * by the receive thread.
 */
final class ZmqMessageParts implements MessageParts {
    private final PooledMsgAllocator allocator;
    private final Msg[] msgs;
    private final ByteBuffer[] views;
    private int count;

    ZmqMessageParts(int maxParts, PooledMsgAllocator allocator) {
        this.allocator = allocator;
        this.msgs = new Msg[maxParts];
        this.views = new ByteBuffer[maxParts];
    }

    /** Adds a part; {@code false} (and nothing kept) if {@code maxParts} are held already. */
    boolean add(Msg msg) {
        if (count == msgs.length) {
            return false;
        }
        msgs[count] = msg;
        views[count] = msg.buf().order(ByteOrder.LITTLE_ENDIAN);
        count++;
        return true;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public ByteBuffer part(int i) {
        Objects.checkIndex(i, count);
        return views[i];
    }

    /** Returns every held buffer to the allocator and empties this holder. Idempotent. */
    void release() {
        for (int i = 0; i < count; i++) {
            allocator.release(msgs[i]);
            msgs[i] = null;
            views[i] = null;
        }
        count = 0;
    }
}
