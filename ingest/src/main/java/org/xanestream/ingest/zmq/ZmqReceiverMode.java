package org.xanestream.ingest.zmq;

/** Socket type and role of a {@link ZmqFrameReceiver}. */
public enum ZmqReceiverMode {
    /** PULL socket that binds; senders connect (back-pressure reaches them). */
    PULL_BIND,
    /** PULL socket that connects to a binding PUSH sender (areaDetector NDPluginZMQ in PUSH mode). */
    PULL_CONNECT,
    /** SUB socket, subscribed to everything, that binds; publishers connect. No back-pressure: drops at the HWM. */
    SUB_BIND,
    /** SUB socket, subscribed to everything, that connects to a binding PUB (NDPluginZMQ in PUB mode). */
    SUB_CONNECT;

    public boolean binds() {
        return this == PULL_BIND || this == SUB_BIND;
    }

    public boolean subscribes() {
        return this == SUB_BIND || this == SUB_CONNECT;
    }
}
