package org.xanestream.deploy.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka 4 broker in KRaft combined mode (broker and controller in one
 * process), running inside this JVM, listening on 127.0.0.1 only. Used by {@code xanestream demo} and by
 * the integration tests.
 *
 * <p>Life cycle: {@link #start()} formats the data directory on first use (a random cluster id) and starts
 * the server; {@link #stop()} shuts it down and keeps the data; a later {@link #start()} brings the same
 * broker back on the <em>same</em> ports with the same data (what a broker-outage test needs);
 * {@link #close()} stops and deletes a temporary data directory. Ports chosen as free at the first start are
 * kept for every restart.
 *
 * <p>Thread-safe: the life-cycle methods are {@code synchronized}. Starting takes a few seconds (~3.5 s here)
 * and ~340 MiB of memory; prefer one broker per test class.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String HOST = "127.0.0.1";

    private final EmbeddedBrokerConfig config;
    private final Path dataDir;
    private final boolean temporaryDataDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafkaBroker(EmbeddedBrokerConfig config) throws IOException {
        this.config = config;
        if (config.dataDir() == null) {
            this.dataDir = Files.createTempDirectory("xanestream-kafka-");
            this.temporaryDataDir = true;
        } else {
            this.dataDir = Files.createDirectories(config.dataDir());
            this.temporaryDataDir = false;
        }
        int p = config.port();
        int c = config.controllerPort();
        while (p == 0 || c == 0 || p == c) {
            if (p == 0 || p == c) {
                p = freePort();
            }
            if (c == 0 || p == c) {
                c = freePort();
            }
        }
        this.port = p;
        this.controllerPort = c;
    }

    /**
     * Creates and starts a broker.
     *
     * @throws IllegalStateException if it does not come up within the configured timeout (the message says why)
     */
    public static EmbeddedKafkaBroker start(EmbeddedBrokerConfig config) {
        EmbeddedKafkaBroker broker;
        try {
            broker = new EmbeddedKafkaBroker(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory " + config.dataDir(), e);
        }
        try {
            broker.start();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** Bootstrap servers for clients, e.g. {@code 127.0.0.1:40123}; stable across restarts. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /**
     * Starts the broker (formatting the data directory if it is new) and waits until it accepts clients.
     * No-op if already running.
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("broker on " + bootstrapServers() + " is closed");
        }
        if (server != null) {
            return;
        }
        long t0 = System.nanoTime();
        Properties props = serverProperties();
        Path logDir = dataDir.resolve("kraft-logs");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(props);
        }
        KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            s.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(s);
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " failed to start: " + e, e);
        }
        server = s;
        try {
            awaitReady();
        } catch (RuntimeException e) {
            server = null;
            shutdownQuietly(s);
            throw e;
        }
        LOG.info("embedded Kafka broker ready on {} (data {}) in {} ms", bootstrapServers(), dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Shuts the broker down and waits for it; the data and the ports are kept for {@link #start()}. */
    public synchronized void stop() {
        KafkaRaftServer s = server;
        if (s == null) {
            return;
        }
        server = null;
        s.shutdown();
        s.awaitShutdown();
        LOG.info("embedded Kafka broker on {} stopped", bootstrapServers());
    }

    /** Stops the broker and deletes its data directory if it was temporary. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            if (temporaryDataDir) {
                deleteRecursively(dataDir);
            }
        }
    }

    private Properties serverProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("kraft-logs").toString());
        // One node: every internal topic must have replication factor 1 and min ISR 1, otherwise group
        // coordination (and so every consumer group) silently never works.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.bytes", Long.toString(config.retentionBytes()));
        p.put("log.segment.bytes", Integer.toString(config.segmentBytes()));
        p.put("log.retention.check.interval.ms", "30000");
        // A 2-core machine: keep the thread count modest.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        for (Map.Entry<String, String> e : config.extraProperties().entrySet()) {
            p.put(e.getKey(), e.getValue());
        }
        return p;
    }

    private void format(Properties props) {
        Path propsFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(propsFile)) {
            props.store(out, "xanestream embedded Kafka broker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + propsFile, e);
        }
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c",
                    propsFile.toString()}, ps);
        }
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed (exit " + rc + "): "
                    + captured.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private void awaitReady() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "xanestream-embedded-broker-probe");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.startTimeoutMillis());
        try (Admin admin = Admin.create(p)) {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not accept clients within "
                            + config.startTimeoutMillis() + " ms");
                }
                try {
                    int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(
                                    (int) Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 5000))))
                            .nodes().get(left, TimeUnit.NANOSECONDS).size();
                    if (nodes > 0) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet: retry until the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
                }
            }
        }
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("error while shutting down a Kafka broker that failed to start: {}", e.toString());
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete Kafka data directory {}: {}", root, e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", data " + dataDir + "]";
    }
}
