package org.xanestream.ingest.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.adzmq.AdZmqDecoder;
import org.xanestream.ingest.adzmq.AdZmqEncoding;
import org.xanestream.ingest.zmq.ZmqFrameReceiver;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.ingest.zmq.ZmqReceiverMode;

/**
 * Receive throughput harness: a {@link ZmqFrameReceiver} (PULL bound on 127.0.0.1) decodes
 * {@code array-1.0} frames from a {@link ThroughputSender} into pooled frames; a consumer thread takes
 * them from the queue, reads a few pixels and releases them. After a warm-up it measures frames/s,
 * decoded GB/s and the bytes allocated per frame on the receive thread, the consumer thread and all
 * receiving-side threads (JeroMQ's I/O thread included; the in-process sender thread excluded), via
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}.
 *
 * <p>Pools grow until the pipeline's queues have reached their deepest point (the socket's HWM, the
 * event queue), which may happen after the warm-up on a busy machine; the report therefore separates
 * pool growth (new pooled frame buffers, bounded by the pool budget) from per-frame garbage. It also
 * reports CPU time per frame, a figure that a machine shared with other work distorts less than frames/s.
 *
 * <p>Options: {@code --width 2048 --height 2048 --encoding none|lz4|bslz4 --warmup 5 --seconds 10
 * --rcvhwm 8 --queue 8 --fork} ({@code --fork}: the sender runs in its own JVM, as a detector would).
 */
public final class ReceiveThroughput {
    private ReceiveThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int width = 2048;
        int height = 2048;
        AdZmqEncoding encoding = AdZmqEncoding.NONE;
        double warmup = 5;
        double seconds = 10;
        int rcvHwm = 8;
        int queueCapacity = 8;
        boolean fork = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--width": width = Integer.parseInt(args[++i]); break;
                case "--height": height = Integer.parseInt(args[++i]); break;
                case "--encoding": encoding = AdZmqEncoding.fromWireName(args[++i]); break;
                case "--warmup": warmup = Double.parseDouble(args[++i]); break;
                case "--seconds": seconds = Double.parseDouble(args[++i]); break;
                case "--rcvhwm": rcvHwm = Integer.parseInt(args[++i]); break;
                case "--queue": queueCapacity = Integer.parseInt(args[++i]); break;
                case "--fork": fork = true; break;
                default:
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
            }
        }
        if (encoding == null) {
            System.err.println("--encoding must be none, lz4 or bslz4");
            System.exit(2);
        }
        long frameBytes = (long) width * height * 2;
        FramePool pool = new FramePool((queueCapacity + 4L) * frameBytes);
        BoundedEventQueue queue = new BoundedEventQueue(new EventQueueConfig(queueCapacity, QueueFullPolicy.BLOCK));
        AtomicLong rejected = new AtomicLong();
        ZmqReceiverConfig rxConfig = ZmqReceiverConfig.defaults()
                .withEndpoint("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND).withRcvHwm(rcvHwm)
                .withMessagePoolBytes((rcvHwm + 4L) * frameBytes * 2);
        ZmqFrameReceiver rx = new ZmqFrameReceiver(rxConfig, ep -> new AdZmqDecoder(ep, AdZmqConfig.defaults(), pool),
                queue, r -> rejected.incrementAndGet(), Clock.systemUTC());
        Consumer consumer = new Consumer(queue);
        rx.start();
        consumer.start();

        double sendSeconds = warmup + seconds + 1;
        Thread senderThread = null;
        Process senderProcess = null;
        String endpoint = rx.endpoint();
        if (fork) {
            Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
            senderProcess = new ProcessBuilder(java.toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    ThroughputSender.class.getName(), endpoint, Integer.toString(width), Integer.toString(height),
                    encoding.name().toLowerCase(Locale.ROOT), Double.toString(sendSeconds))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } else {
            final int w = width;
            final int h = height;
            final AdZmqEncoding e = encoding;
            senderThread = new Thread(() -> System.err.println("sender: "
                    + ThroughputSender.run(endpoint, w, h, e, sendSeconds) + " frames sent"), "bench-sender");
            senderThread.setDaemon(true);
            senderThread.start();
        }

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long senderId = senderThread == null ? -1 : senderThread.getId();
        long rxId = rx.thread().getId();
        long consumerId = consumer.getId();

        TimeUnit.MILLISECONDS.sleep((long) (warmup * 1000));
        long t0 = System.nanoTime();
        long frames0 = consumer.frames.get();
        long rxAlloc0 = threads.getThreadAllocatedBytes(rxId);
        long consumerAlloc0 = threads.getThreadAllocatedBytes(consumerId);
        long allAlloc0 = allocatedExcept(threads, senderId);
        long[] gc0 = gcTotals();
        long poolAlloc0 = pool.allocations();
        long poolBytes0 = pool.allocatedBytes();
        long rxCpu0 = threads.getThreadCpuTime(rxId);
        long processCpu0 = processCpuNanos();
        java.util.Map<Long, Long> threadCpu0 = threadCpu(threads);
        long msgAlloc0 = rx.stats().messageBuffersAllocated();

        TimeUnit.MILLISECONDS.sleep((long) (seconds * 1000));
        long t1 = System.nanoTime();
        long frames1 = consumer.frames.get();
        long rxAlloc1 = threads.getThreadAllocatedBytes(rxId);
        long consumerAlloc1 = threads.getThreadAllocatedBytes(consumerId);
        long allAlloc1 = allocatedExcept(threads, senderId);
        long[] gc1 = gcTotals();
        long rxCpu1 = threads.getThreadCpuTime(rxId);
        long processCpu1 = processCpuNanos();
        java.util.Map<Long, Long> threadCpu1 = threadCpu(threads);
        long poolGrowthBytes = pool.allocatedBytes() - poolBytes0;

        double elapsed = (t1 - t0) / 1e9;
        long frames = frames1 - frames0;
        double fps = frames / elapsed;
        double perFrame = Math.max(frames, 1);
        System.out.printf(Locale.ROOT, "ReceiveThroughput: %dx%d uint16 (%.2f MB/frame), encoding %s, sender %s, "
                        + "rcvhwm %d, queue %d BLOCK, %d cores%n", width, height, frameBytes / 1e6,
                encoding.name().toLowerCase(Locale.ROOT), fork ? "in a separate JVM" : "in-process thread", rcvHwm,
                queueCapacity, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  measured %.1f s after %.1f s warm-up: %d frames, %.1f frames/s, "
                + "%.3f GB/s decoded%n", elapsed, warmup, frames, fps, fps * frameBytes / 1e9);
        System.out.printf(Locale.ROOT, "  heap allocated per frame, frame-pool growth excluded: receive thread %.0f B, "
                        + "consumer %.0f B, all receiving-side threads %.0f B (a frame is %d B)%n",
                (rxAlloc1 - rxAlloc0 - poolGrowthBytes) / perFrame, (consumerAlloc1 - consumerAlloc0) / perFrame,
                (allAlloc1 - allAlloc0 - poolGrowthBytes) / perFrame, frameBytes);
        System.out.printf(Locale.ROOT, "  CPU per frame: receive thread %.2f ms, whole %s %.2f ms%n",
                (rxCpu1 - rxCpu0) / perFrame / 1e6, fork ? "receiver JVM" : "JVM (sender included)",
                (processCpu1 - processCpu0) / perFrame / 1e6);
        System.out.printf(Locale.ROOT, "  busiest threads (CPU ms per frame):%s%n",
                busiest(threads, threadCpu0, threadCpu1, perFrame));
        System.out.printf(Locale.ROOT, "  GC during measurement: %d collections, %d ms; pool growth: %d new frame buffers "
                        + "(%d in all), %d new message buffers (%d in all); rejected %d, gaps %d%n",
                gc1[0] - gc0[0], gc1[1] - gc0[1], pool.allocations() - poolAlloc0, pool.allocations(),
                rx.stats().messageBuffersAllocated() - msgAlloc0, rx.stats().messageBuffersAllocated(), rejected.get(),
                rx.stats().gapEvents());
        System.out.printf(Locale.ROOT, "  target >= 100 frames/s: %s%n", fps >= 100 ? "met" : "NOT met");

        if (senderProcess != null) {
            senderProcess.waitFor(30, TimeUnit.SECONDS);
            senderProcess.destroy();
        } else {
            senderThread.join(30_000);
        }
        consumer.awaitEnd(10_000);
        rx.stop();
        consumer.interrupt();
        consumer.join(5000);
        queue.clear();
    }

    private static long allocatedExcept(com.sun.management.ThreadMXBean threads, long excludedId) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        long sum = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != excludedId && bytes[i] > 0) {
                sum += bytes[i];
            }
        }
        return sum;
    }

    private static java.util.Map<Long, Long> threadCpu(com.sun.management.ThreadMXBean threads) {
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t > 0) {
                m.put(id, t);
            }
        }
        return m;
    }

    private static String busiest(com.sun.management.ThreadMXBean threads, java.util.Map<Long, Long> before,
                                  java.util.Map<Long, Long> after, double frames) {
        List<long[]> deltas = new ArrayList<>();
        for (java.util.Map.Entry<Long, Long> e : after.entrySet()) {
            deltas.add(new long[] {e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)});
        }
        deltas.sort((a, b) -> Long.compare(b[1], a[1]));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, deltas.size()); i++) {
            java.lang.management.ThreadInfo info = threads.getThreadInfo(deltas.get(i)[0]);
            sb.append(String.format(Locale.ROOT, " %s %.2f;", info == null ? "?" : info.getThreadName(),
                    deltas.get(i)[1] / frames / 1e6));
        }
        return sb.toString();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        List<GarbageCollectorMXBean> beans = new ArrayList<>(ManagementFactory.getGarbageCollectorMXBeans());
        for (GarbageCollectorMXBean b : beans) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** Takes frames off the queue, reads a few pixels (so the copy cannot be skipped) and releases them. */
    private static final class Consumer extends Thread {
        final AtomicLong frames = new AtomicLong();
        private final BoundedEventQueue queue;
        private volatile boolean ended;
        private long checksum;

        Consumer(BoundedEventQueue queue) {
            super("bench-consumer");
            setDaemon(true);
            this.queue = queue;
        }

        @Override
        public void run() {
            try {
                while (!isInterrupted()) {
                    IngestEvent e = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (e instanceof Frame) {
                        Frame f = (Frame) e;
                        int last = f.pixels().limit() - 2;
                        checksum += f.pixels().getShort(0) + f.pixels().getShort(last / 2 & ~1) + f.pixels().getShort(last);
                        f.release();
                        frames.incrementAndGet();
                    } else if (e instanceof EndOfScan) {
                        ended = true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (checksum == 42) {
                System.err.println("(checksum coincidence)");
            }
        }

        void awaitEnd(long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            while (!ended && System.currentTimeMillis() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }
}
