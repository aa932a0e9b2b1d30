package org.xanestream.publisher.http;

/**
 * Where the operations endpoints ({@code /health}, {@code /metrics}) listen.
 *
 * @param host interface to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port TCP port, 0 to 65535 (0 = any free port; read it back from {@link OpsHttpServer#port()})
 */
public record OpsHttpConfig(String host, int port) {
    public OpsHttpConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must be an interface address, got '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
    }

    /** 127.0.0.1:8090. */
    public static OpsHttpConfig defaults() {
        return new OpsHttpConfig("127.0.0.1", 8090);
    }
}
