package org.xanestream.deploy.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the {@link EmbeddedKafkaBroker}.
 *
 * @param dataDir            log directory; {@code null} = a fresh temporary directory, deleted on close
 * @param port               PLAINTEXT client port on 127.0.0.1; 0 = pick a free port at first start
 * @param controllerPort     KRaft controller port on 127.0.0.1; 0 = pick a free port at first start
 * @param retentionBytes     default {@code log.retention.bytes} per partition (bounds the disk use of a long demo:
 *                           live maps are tens of MB/s); -1 = unlimited
 * @param segmentBytes       {@code log.segment.bytes}; retention deletes whole segments, so keep this well below
 *                           {@code retentionBytes}; 1 MiB to 1 GiB
 * @param startTimeoutMillis how long {@link EmbeddedKafkaBroker#start()} waits for the broker to accept clients
 * @param extraProperties    further broker properties, applied last (override anything above); not {@code null}
 */
public record EmbeddedBrokerConfig(Path dataDir, int port, int controllerPort, long retentionBytes, int segmentBytes,
                                   long startTimeoutMillis, Map<String, String> extraProperties) {

    public EmbeddedBrokerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 0..65535 (0 = free port)");
        }
        if (controllerPort < 0 || controllerPort > 65535) {
            throw new IllegalArgumentException("controllerPort " + controllerPort + " out of range 0..65535 (0 = free port)");
        }
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort are both " + port + "; they must differ");
        }
        if (retentionBytes != -1 && retentionBytes < 1024 * 1024) {
            throw new IllegalArgumentException("retentionBytes " + retentionBytes + " must be -1 (unlimited) or >= 1 MiB");
        }
        if (segmentBytes < 1024 * 1024 || segmentBytes > 1024 * 1024 * 1024) {
            throw new IllegalArgumentException("segmentBytes " + segmentBytes + " out of range 1 MiB..1 GiB");
        }
        if (startTimeoutMillis < 1000) {
            throw new IllegalArgumentException("startTimeoutMillis " + startTimeoutMillis + " must be >= 1000");
        }
        extraProperties = Map.copyOf(Objects.requireNonNull(extraProperties, "extraProperties"));
    }

    /** Temporary data directory, free ports, 1 GiB per partition, 128 MiB segments, 60 s start timeout. */
    public static EmbeddedBrokerConfig defaults() {
        return new EmbeddedBrokerConfig(null, 0, 0, 1024L * 1024 * 1024, 128 * 1024 * 1024, 60_000, Map.of());
    }

    public EmbeddedBrokerConfig withDataDir(Path dir) {
        return new EmbeddedBrokerConfig(dir, port, controllerPort, retentionBytes, segmentBytes, startTimeoutMillis,
                extraProperties);
    }

    public EmbeddedBrokerConfig withPort(int clientPort) {
        return new EmbeddedBrokerConfig(dataDir, clientPort, controllerPort, retentionBytes, segmentBytes,
                startTimeoutMillis, extraProperties);
    }

    public EmbeddedBrokerConfig withRetentionBytes(long bytes) {
        return new EmbeddedBrokerConfig(dataDir, port, controllerPort, bytes, segmentBytes, startTimeoutMillis,
                extraProperties);
    }

    public EmbeddedBrokerConfig withExtraProperties(Map<String, String> properties) {
        return new EmbeddedBrokerConfig(dataDir, port, controllerPort, retentionBytes, segmentBytes, startTimeoutMillis,
                properties);
    }
}
