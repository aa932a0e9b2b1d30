package org.xanestream.ingest.zmq;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.RecordingRejectionListener;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.adzmq.AdZmqDecoder;
import org.xanestream.ingest.adzmq.AdZmqEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;

/**
 * A real JeroMQ loopback for tests: a {@link ZmqFrameReceiver} (PULL bound to a free port on 127.0.0.1)
 * with an {@link AdZmqDecoder}, a frame pool, a bounded queue and a recording rejection listener, and an
 * areaDetector-style sender (PUSH, connected). The receiver binds so that JeroMQ's occasional handshake
 * stall on a fresh connection (see {@link ZmqFrameReceiver}) only delays the first message.
 */
public final class ZmqLoopback implements AutoCloseable {
    public final FramePool pool;
    public final BoundedEventQueue queue;
    public final RecordingRejectionListener rejections = new RecordingRejectionListener();
    public final AdZmqDecoder decoder;
    public final ZmqFrameSender sender;
    public final ZmqFrameReceiver receiver;

    public ZmqLoopback() {
        this(AdZmqConfig.defaults(), AdZmqEncoderConfig.defaults());
    }

    public ZmqLoopback(AdZmqConfig decoderConfig, AdZmqEncoderConfig encoderConfig) {
        this(decoderConfig, encoderConfig, EventQueueConfig.defaults(), receiverConfig(), senderConfig(), 64L << 20);
    }

    /** Receiver defaults with a short handshake timeout (JeroMQ 0.6.0 sometimes stalls a fresh handshake). */
    public static ZmqReceiverConfig receiverConfig() {
        return ZmqReceiverConfig.defaults().withHandshakeIvlMs(500);
    }

    /** Sender defaults with a short handshake timeout and a send timeout that outlasts a handshake retry. */
    public static ZmqSenderConfig senderConfig() {
        return ZmqSenderConfig.defaults().withHandshakeIvlMs(500).withSendTimeoutMs(10_000);
    }

    public ZmqLoopback(AdZmqConfig decoderConfig, AdZmqEncoderConfig encoderConfig, EventQueueConfig queueConfig,
                       ZmqReceiverConfig receiverConfig, ZmqSenderConfig senderConfig, long poolBytes) {
        pool = new FramePool(poolBytes);
        queue = new BoundedEventQueue(queueConfig);
        receiver = new ZmqFrameReceiver(receiverConfig.withEndpoint("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND),
                ep -> new AdZmqDecoder(ep, decoderConfig, pool), queue, rejections, Clock.systemUTC());
        decoder = (AdZmqDecoder) receiver.decoder();
        receiver.start();
        sender = new ZmqFrameSender(senderConfig.withEndpoint(receiver.endpoint(), ZmqSenderMode.PUSH_CONNECT),
                new AdZmqEncoder(encoderConfig));
    }

    /** Sends one frame; fails the test if the send times out. */
    public void send(FrameHeader header, ByteBuffer pixels) {
        if (!sender.sendFrame(header, pixels)) {
            fail("send timed out");
        }
    }

    /** Sends raw parts; fails the test if the send times out. */
    public void sendRaw(List<byte[]> parts) {
        if (!sender.sendMessage(parts)) {
            fail("send timed out");
        }
    }

    /** Sends a header text and a payload as a two-part message. */
    public void sendRaw(String header, byte[] payload) {
        sendRaw(List.of(header.getBytes(StandardCharsets.UTF_8), payload));
    }

    /** The next event, waiting up to 10 s. */
    public IngestEvent next() throws InterruptedException {
        IngestEvent e = queue.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            ReceiverStats st = receiver.stats();
            fail("expected an event within 10 s; receiver running=" + receiver.isRunning() + " failure="
                    + receiver.failure() + " messages=" + st.messagesReceived() + " frames=" + st.framesReceived()
                    + " rejected=" + st.rejectedTotal() + " decoderErrors=" + st.decoderErrors() + " sent="
                    + sender.messagesSent() + " timeouts=" + sender.sendTimeouts());
        }
        return e;
    }

    /** The next event, which must be a frame. */
    public Frame nextFrame() throws InterruptedException {
        return assertInstanceOf(Frame.class, next());
    }

    /** Waits up to 10 s for a condition written by another thread. */
    public static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void close() {
        receiver.stop();
        queue.clear();
        sender.close();
    }
}
