package org.xanestream.deploy.kafka;

import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.zmq.ZmqFrameSender;
import org.xanestream.ingest.zmq.ZmqSenderConfig;
import org.xanestream.ingest.zmq.ZmqSenderMode;
import org.xanestream.simulators.sink.FrameSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** The simulator's frames into a PUSH socket connected to the pipeline's receiver. For tests. */
final class ZmqSink implements FrameSink {
    private final ZmqFrameSender sender;

    ZmqSink(String endpoint, FrameEncoder encoder) {
        this.sender = new ZmqFrameSender(ZmqSenderConfig.defaults().withEndpoint(endpoint, ZmqSenderMode.PUSH_CONNECT)
                .withSendTimeoutMs(30_000), encoder);
    }

    @Override
    public void beginScan(String scanId, int width, int height, PixelType pixelType) throws IOException {
        check(sender.beginScan(scanId, width, height, pixelType), "scan start");
    }

    @Override
    public void sendFrame(FrameHeader header, ByteBuffer pixels) throws IOException {
        check(sender.sendFrame(header, pixels), "frame " + header.frameNumber());
    }

    @Override
    public void endScan(String scanId) throws IOException {
        check(sender.endScan(scanId), "scan end");
    }

    /** Sends raw parts (malformed messages). */
    void sendRaw(List<byte[]> parts) throws IOException {
        check(sender.sendMessage(parts), "raw message");
    }

    private void check(boolean sent, String what) throws IOException {
        if (!sent) {
            throw new IOException(what + " not taken by the receiver within 30 s");
        }
    }

    @Override
    public void close() {
        sender.close();
    }
}
