/**
 * ZeroMQ transport, the only package that touches JeroMQ.
 *
 * <pre>
 *  detector / ZmqFrameSender ──tcp──▶ JeroMQ I/O thread (reads into pooled message buffers)
 *                                        │
 *  ZmqFrameReceiver thread: recvMsg → MessageParts → FrameDecoder (copies pixels into a pooled Frame)
 *     ├─ Frame / EndOfScan ──▶ BoundedEventQueue (BLOCK | DROP_OLDEST) ──▶ processor thread
 *     └─ Rejection ──▶ RejectionListener (+ rate-limited log, ReceiverStats)
 * </pre>
 *
 * <p>In: multipart ZMQ messages on a PULL (bind or connect) or SUB socket. Out: decoded events on a
 * {@link org.xanestream.ingest.BoundedEventQueue}, rejections to a
 * {@link org.xanestream.ingest.RejectionListener}, counters in {@link org.xanestream.ingest.zmq.ReceiverStats}.
 * Threads: each receiver owns one thread plus JeroMQ's I/O thread; a sender is used by one caller thread.
 *
 * <p>Allocation: message buffers come from a pooling {@code MsgAllocator}, the decoder copies pixels
 * into a pooled {@link org.xanestream.ingest.Frame}, and the message buffers go back to the pool at
 * once, so a steady stream allocates no pixel-sized garbage on the receive side.
 */
package org.xanestream.ingest.zmq;
