package org.xanestream.ingest.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ZmqConfigTest {
    private static void assertRejected(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), ex.getMessage());
        }
    }

    @Test
    void receiverConfigNamesTheBadValue() {
        ZmqReceiverConfig d = ZmqReceiverConfig.defaults();
        assertEquals(16, d.rcvHwm());
        assertRejected(() -> d.withEndpoint("localhost:5555", ZmqReceiverMode.PULL_CONNECT), "endpoint", "localhost:5555");
        assertRejected(() -> d.withEndpoint("tcp://", ZmqReceiverMode.PULL_CONNECT), "endpoint");
        assertRejected(() -> d.withRcvHwm(0), "rcvHwm", "got 0");
        assertRejected(() -> d.withPollIntervalMs(0), "pollIntervalMs");
        assertRejected(() -> d.withMessagePoolBytes(-1), "messagePoolBytes");
        assertRejected(() -> d.withHandshakeIvlMs(0), "handshakeIvlMs", "got 0");
        assertRejected(() -> new ZmqReceiverConfig(d.endpoint(), d.mode(), 1, 1, 0, 0, 1, 1000), "maxParts");
        assertRejected(() -> new ZmqReceiverConfig(d.endpoint(), d.mode(), 1, 1, 1, 0, 0, 1000), "ioThreads");
        assertThrows(NullPointerException.class, () -> d.withEndpoint("tcp://a:1", null));
    }

    @Test
    void senderConfigNamesTheBadValue() {
        ZmqSenderConfig d = ZmqSenderConfig.defaults();
        assertEquals(ZmqSenderMode.PUSH_BIND, d.mode());
        assertRejected(() -> d.withSndHwm(0), "sndHwm");
        assertRejected(() -> d.withSendTimeoutMs(-1), "sendTimeoutMs", "got -1");
        assertRejected(() -> d.withLingerMs(60_001), "lingerMs");
        assertRejected(() -> d.withHandshakeIvlMs(99), "handshakeIvlMs");
        assertRejected(() -> d.withEndpoint("udp://x:1", ZmqSenderMode.PUB_BIND), "udp://x:1");
    }

    @Test
    void messageBufferCapacitiesLeaveHeadroomForVaryingCompressedSizes() {
        assertEquals(4096, PooledMsgAllocator.capacityFor(0));
        assertEquals(4096, PooledMsgAllocator.capacityFor(4096));
        assertEquals(8192, PooledMsgAllocator.capacityFor(4097));
        int eightMiB = 8 << 20;
        int cap = PooledMsgAllocator.capacityFor(eightMiB);
        assertTrue(cap >= eightMiB + eightMiB / 8 && cap % 65536 == 0, "capacity " + cap);
    }

    @Test
    void pooledAllocatorReusesReleasedBuffersWithinItsBudget() {
        PooledMsgAllocator a = new PooledMsgAllocator(1 << 20);
        zmq.Msg m1 = a.allocate(100_000);
        a.release(m1);
        zmq.Msg m2 = a.allocate(110_000); // fits the headroom of the first buffer
        assertEquals(1, a.allocations());
        assertEquals(110_000, m2.size());
        a.release(m2);
        zmq.Msg small = a.allocate(10); // far smaller: not served by a 100 kB buffer
        assertEquals(2, a.allocations());
        a.release(small);
        a.release(new zmq.Msg(5)); // foreign messages are ignored
        zmq.Msg big = a.allocate(2 << 20); // larger than the retention budget: dropped on release
        a.release(big);
        assertTrue(a.freeBytes() <= 1 << 20, "retained " + a.freeBytes());
    }
}
