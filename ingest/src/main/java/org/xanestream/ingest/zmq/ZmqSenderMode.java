package org.xanestream.ingest.zmq;

/** Socket type and role of a {@link ZmqFrameSender}. */
public enum ZmqSenderMode {
    /** PUSH socket that binds, like a detector; receivers connect. */
    PUSH_BIND,
    /** PUSH socket that connects to a binding PULL receiver. */
    PUSH_CONNECT,
    /** PUB socket that binds; subscribers connect. Never blocks: drops for subscribers at their HWM. */
    PUB_BIND,
    /** PUB socket that connects to a binding SUB receiver. */
    PUB_CONNECT;

    public boolean binds() {
        return this == PUSH_BIND || this == PUB_BIND;
    }

    public boolean publishes() {
        return this == PUB_BIND || this == PUB_CONNECT;
    }
}
