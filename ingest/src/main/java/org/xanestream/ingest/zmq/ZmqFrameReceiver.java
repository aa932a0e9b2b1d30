package org.xanestream.ingest.zmq;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameDecoder;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.RejectedMessageException;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.RejectionListener;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.Msg;

/**
 * Receives one ZMQ stream on its own thread, decodes every message with a {@link FrameDecoder} and
 * hands the events to a {@link BoundedEventQueue}.
 *
 * <p>Socket: PULL (bind or connect) or SUB subscribed to everything, with an explicit receive
 * high-water mark. Receive path (PLATFORM.md): a pooling {@code MsgAllocator}, {@code recvMsg()} and
 * {@code msg.buf()} (little-endian) — no copy into a fresh {@code byte[]}. The decoder copies the pixels
 * into a pooled frame, then the message buffers go straight back to the allocator, before the
 * hand-off, so a {@code BLOCK}ed queue holds frames, not message buffers.
 *
 * <p>Full queue: {@code BLOCK} waits (the socket is not read, the HWM fills, TCP slows the sender);
 * {@code DROP_OLDEST} drops and releases the oldest queued frame (counted). If the decoder finds the
 * frame pool empty under {@code DROP_OLDEST}, the oldest queued frame is dropped to free a buffer and
 * the message decoded again.
 *
 * <p>Bad input: each rejection is counted per reason in {@link #stats()}, passed to the
 * {@link RejectionListener} (on the receive thread: it must not block) and logged at most once per
 * reason every 10 s. An unexpected decoder exception is logged and counted, and the stream goes on.
 *
 * <p>Lifecycle: the constructor opens the socket and binds or connects (failing at once on a bad
 * endpoint); {@link #start()} starts the receive thread; {@link #stop()} / {@link #close()} ends it
 * within about one poll interval, joins it and closes the socket and the JeroMQ context (also when the
 * receiver was never started). The socket is used only by the receive thread after start. Not
 * restartable.
 *
 * <p>JeroMQ 0.6.0 sometimes stalls the handshake of a freshly <em>connected</em> socket until the
 * handshake timer reconnects ({@link ZmqReceiverConfig#handshakeIvlMs()}); messages a binding PUSH
 * peer queued for that stalled connection are lost with it. A connecting PUSH keeps its queue across
 * the reconnect, so where no frame may be lost at start-up, let the receiver bind and the sender
 * connect.
 */
public final class ZmqFrameReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZmqFrameReceiver.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int DECODER_ERROR_KEY = RejectReason.values().length;

    private final ZmqReceiverConfig config;
    private final FrameDecoder decoder;
    private final BoundedEventQueue queue;
    private final RejectionListener listener;
    private final Clock clock;
    private final PooledMsgAllocator allocator;
    private final ReceiverStats stats;
    private final RateLimitedLog log = new RateLimitedLog(LOG, LOG_INTERVAL_NANOS, DECODER_ERROR_KEY + 1);
    private final ZMQ.Context context;
    private final ZMQ.Socket socket;     // opened by the constructor, then owned by the receive thread
    private final String endpoint;

    private Thread thread;               // guarded by this
    private boolean stopped;             // guarded by this
    private volatile boolean running;
    private volatile Throwable failure;

    /**
     * Opens the socket; see {@link #ZmqFrameReceiver(ZmqReceiverConfig, Function, BoundedEventQueue,
     * RejectionListener, Clock)}.
     *
     * @param decoder the protocol decoder, used only on the receive thread
     */
    public ZmqFrameReceiver(ZmqReceiverConfig config, FrameDecoder decoder, BoundedEventQueue queue,
                            RejectionListener listener) {
        this(config, endpointInUse -> decoder, queue, listener, Clock.systemUTC());
    }

    /**
     * Opens the socket, binds or connects, then creates the decoder for the endpoint actually in use
     * (a binding receiver with port {@code *} learns its port only now).
     *
     * @param config         socket configuration
     * @param decoderFactory makes the protocol decoder from the endpoint in use; called once, here
     * @param queue          where decoded events go
     * @param listener       told about every rejected message, on the receive thread
     * @param clock          stamps rejections
     * @throws IllegalStateException if the endpoint cannot be bound or connected
     */
    public ZmqFrameReceiver(ZmqReceiverConfig config, Function<String, ? extends FrameDecoder> decoderFactory,
                            BoundedEventQueue queue, RejectionListener listener, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(decoderFactory, "decoderFactory");
        this.allocator = new PooledMsgAllocator(config.messagePoolBytes());
        ZMQ.Context ctx = ZMQ.context(config.ioThreads());
        ZMQ.Socket s = ctx.socket(config.mode().subscribes() ? SocketType.SUB : SocketType.PULL);
        String op = config.mode().binds() ? "bind" : "connect";
        FrameDecoder d;
        try {
            s.setLinger(0);
            s.setRcvHWM(config.rcvHwm());
            s.setReceiveTimeOut(config.pollIntervalMs());
            s.setHandshakeIvl(config.handshakeIvlMs());
            s.setMsgAllocator(allocator);
            if (config.mode().subscribes()) {
                s.subscribe(new byte[0]);
            }
            boolean ok = config.mode().binds() ? s.bind(config.endpoint()) : s.connect(config.endpoint());
            if (!ok) {
                throw new IllegalStateException("JeroMQ refused, errno " + s.errno());
            }
            this.endpoint = config.mode().binds() ? s.getLastEndpoint() : config.endpoint();
            d = Objects.requireNonNull(decoderFactory.apply(endpoint), "decoder");
        } catch (RuntimeException e) {
            s.close();
            ctx.close();
            throw new IllegalStateException("cannot " + op + " ZMQ receiver to " + config.endpoint() + ": "
                    + e.getMessage(), e);
        }
        this.context = ctx;
        this.socket = s;
        this.decoder = d;
        this.stats = new ReceiverStats(endpoint, queue, d.sequenceMonitor(), allocator);
    }

    public ZmqReceiverConfig config() {
        return config;
    }

    /** Counters; live while the receiver runs and after it stopped. */
    public ReceiverStats stats() {
        return stats;
    }

    /** The endpoint in use; for a binding receiver, with the actual port. */
    public String endpoint() {
        return endpoint;
    }

    /** The decoder this receiver feeds. */
    public FrameDecoder decoder() {
        return decoder;
    }

    /** Whether the receive thread is running. */
    public boolean isRunning() {
        return running;
    }

    /** What ended the receive thread abnormally, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    /** The receive thread (for tests and metrics of per-thread allocation); {@code null} before start. */
    public synchronized Thread thread() {
        return thread;
    }

    /**
     * Starts the receive thread.
     *
     * @throws IllegalStateException if already started or stopped
     */
    public synchronized void start() {
        if (thread != null || stopped) {
            throw new IllegalStateException("receiver for " + endpoint + " was already started or stopped");
        }
        running = true;
        thread = new Thread(this::run, "zmq-rx " + endpoint);
        thread.setDaemon(true);
        thread.start();
        LOG.info("receiving {} ({}, rcvhwm {}, queue {} {})", endpoint, config.mode(), config.rcvHwm(),
                queue.capacity(), queue.policy());
    }

    /**
     * Stops the thread, closes the socket and context; idempotent. Frames already queued stay queued
     * (the consumer drains or {@link BoundedEventQueue#clear()}s them).
     */
    public void stop() {
        Thread t;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            t = thread;
        }
        running = false;
        if (t == null) {
            socket.close();
            context.close();
            return;
        }
        boolean joined = join(t, 4L * config.pollIntervalMs() + 2000);
        if (!joined) {
            t.interrupt();
            joined = join(t, 2000);
        }
        if (joined) {
            context.close();
        } else {
            LOG.error("receive thread for {} did not stop; leaving its ZMQ context open", endpoint);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private void run() {
        ZmqMessageParts parts = new ZmqMessageParts(config.maxParts(), allocator);
        ZMQ.Socket s = socket;
        try {
            while (running) {
                Msg first;
                try {
                    first = s.recvMsg(0);
                } catch (ZMQException e) {
                    if (e.getErrorCode() == ZMQ.Error.ETERM.getCode()) {
                        break;
                    }
                    LOG.warn("{}: receive failed: {}", endpoint, e.getMessage());
                    continue;
                }
                if (first == null) {
                    continue; // receive timeout: look at the running flag again
                }
                int total = receiveRest(s, first, parts);
                try {
                    handle(parts, total);
                } finally {
                    parts.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("receive thread for {} failed", endpoint, e);
        } finally {
            parts.release();
            running = false;
            s.close();
        }
    }

    /** Collects the remaining parts of a message (delivered atomically); returns the total part count. */
    private int receiveRest(ZMQ.Socket s, Msg first, ZmqMessageParts parts) {
        long bytes = first.size();
        int total = 1;
        parts.add(first);
        Msg m = first;
        while (m.hasMore()) {
            Msg next = s.recvMsg(0);
            if (next == null) {
                if (!running) {
                    break;
                }
                continue;
            }
            m = next;
            total++;
            bytes += m.size();
            if (!parts.add(m)) {
                allocator.release(m);
            }
        }
        stats.messages.incrementAndGet();
        stats.bytes.addAndGet(bytes);
        return total;
    }

    private void handle(ZmqMessageParts parts, int total) throws InterruptedException {
        if (total > config.maxParts()) {
            reject(RejectReason.BAD_PARTS, "message has " + total + " parts, more than maxParts "
                    + config.maxParts(), Rejection.headerText(parts.part(0), Rejection.MAX_HEADER_CHARS));
            return;
        }
        IngestEvent event;
        int attempt = 0;
        while (true) {
            try {
                event = decoder.decode(parts);
                break;
            } catch (RejectedMessageException e) {
                if (e.reason() == RejectReason.NO_BUFFER && attempt++ == 0
                        && queue.policy() == QueueFullPolicy.DROP_OLDEST && queue.dropOldestFrame()) {
                    continue;
                }
                reject(e.reason(), e.getMessage(), e.headerText());
                return;
            } catch (RuntimeException e) {
                stats.decoderErrors.incrementAndGet();
                if (stats.decoderErrors.get() == 1) {
                    LOG.error("{}: decoder failed on a message; skipping it", endpoint, e);
                } else {
                    log.warn(DECODER_ERROR_KEY, System.nanoTime(), endpoint, "decoder failed", String.valueOf(e));
                }
                return;
            }
        }
        parts.release();
        if (event == null) {
            return;
        }
        if (event instanceof Frame) {
            stats.frames.incrementAndGet();
        } else if (event instanceof EndOfScan) {
            stats.endOfScans.incrementAndGet();
        }
        deliver(event);
    }

    private void deliver(IngestEvent event) throws InterruptedException {
        try {
            while (!queue.put(event, config.pollIntervalMs(), TimeUnit.MILLISECONDS)) {
                if (!running) {
                    stats.undelivered.incrementAndGet();
                    discard(event);
                    return;
                }
            }
        } catch (InterruptedException e) {
            stats.undelivered.incrementAndGet();
            discard(event);
            throw e;
        }
    }

    private static void discard(IngestEvent event) {
        if (event instanceof Frame) {
            ((Frame) event).release();
        }
    }

    private void reject(RejectReason reason, String detail, String header) {
        stats.rejected.incrementAndGet(reason.ordinal());
        log.warn(reason.ordinal(), System.nanoTime(), endpoint, "rejected " + reason.code(), detail);
        try {
            listener.onRejected(new Rejection(clock.millis(), endpoint, reason, detail, header));
        } catch (RuntimeException e) {
            LOG.warn("{}: rejection listener failed", endpoint, e);
        }
    }
}
