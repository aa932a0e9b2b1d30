package org.xanestream.ingest.zmq;

/** Endpoint validation shared by the configs. */
final class Endpoints {
    private Endpoints() {
    }

    static void require(String endpoint, String what) {
        if (endpoint == null || !(endpoint.startsWith("tcp://") || endpoint.startsWith("ipc://")
                || endpoint.startsWith("inproc://")) || endpoint.indexOf("://") + 3 == endpoint.length()) {
            throw new IllegalArgumentException(what + " must be a ZMQ endpoint like tcp://host:port, ipc://path or "
                    + "inproc://name, got '" + endpoint + "'");
        }
    }
}
