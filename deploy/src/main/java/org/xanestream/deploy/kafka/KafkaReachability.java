package org.xanestream.deploy.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells whether the Kafka cluster answers, for {@code /health}: a daemon thread asks for the cluster's
 * nodes every interval (one small Admin request) and keeps the answer in a volatile field.
 *
 * <p>{@link #reachable()} and {@link #problem()} are cheap volatile reads from any thread (the HTTP
 * event loop calls them); {@link #close()} is idempotent.
 */
public final class KafkaReachability implements AutoCloseable {
    private final Admin admin;
    private final Thread thread;
    private final long intervalMillis;
    private volatile boolean reachable;
    private volatile String problem = "not checked yet";
    private volatile boolean closed;

    private KafkaReachability(String bootstrapServers, Duration interval) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "xanestream-health");
        int timeout = (int) Math.max(1000, interval.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        this.admin = Admin.create(p);
        this.intervalMillis = interval.toMillis();
        this.thread = new Thread(this::run, "xanestream-kafka-health");
        this.thread.setDaemon(true);
    }

    /**
     * Starts checking {@code bootstrapServers} every {@code interval} (first check at once).
     */
    public static KafkaReachability start(String bootstrapServers, Duration interval) {
        KafkaReachability r = new KafkaReachability(bootstrapServers, interval);
        r.thread.start();
        return r;
    }

    private void run() {
        while (!closed) {
            check();
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) Math.max(1000, intervalMillis)))
                    .nodes().get(intervalMillis + 1000, TimeUnit.MILLISECONDS).size();
            reachable = nodes > 0;
            problem = nodes > 0 ? null : "the cluster reports no nodes";
        } catch (ExecutionException e) {
            reachable = false;
            problem = "Kafka unreachable: " + e.getCause().getMessage();
        } catch (TimeoutException e) {
            reachable = false;
            problem = "Kafka unreachable: no answer within " + (intervalMillis + 1000) + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            reachable = false;
            problem = "Kafka check failed: " + e;
        }
    }

    /** Whether the latest check reached the cluster. */
    public boolean reachable() {
        return reachable;
    }

    /** Why the latest check failed, or {@code null} if it succeeded. */
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
