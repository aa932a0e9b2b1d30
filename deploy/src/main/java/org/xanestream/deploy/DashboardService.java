package org.xanestream.deploy;

import org.xanestream.publisher.dashboard.DashboardConfig;
import org.xanestream.publisher.dashboard.DashboardServer;
import org.xanestream.publisher.dashboard.DashboardState;
import org.xanestream.publisher.kafka.ResultConsumerConfig;
import org.xanestream.publisher.kafka.ResultTopicsConsumer;

/**
 * The live dashboard as one start/stop unit: a Kafka consumer of the result topics feeding the
 * dashboard state, and the web server. Used by {@code xanestream dashboard} and, in-process, by
 * {@code xanestream demo}.
 *
 * <pre>
 * try (DashboardService d = DashboardService.start(kafkaConfig, DashboardConfig.defaults())) {
 *     System.out.println("dashboard: " + d.url());
 *     ...
 * }
 * </pre>
 *
 * <p>Thread safe; {@link #close()} is idempotent.
 */
public final class DashboardService implements AutoCloseable {
    private final DashboardServer server;
    private final ResultTopicsConsumer consumer;
    private boolean closed;

    private DashboardService(DashboardServer server, ResultTopicsConsumer consumer) {
        this.server = server;
        this.consumer = consumer;
    }

    /**
     * Binds the web server, then starts reading the result topics.
     *
     * @throws IllegalStateException if the HTTP port cannot be bound (nothing is left running)
     */
    public static DashboardService start(ResultConsumerConfig kafka, DashboardConfig http) {
        DashboardState state = new DashboardState(http);
        DashboardServer server = new DashboardServer(state, http);
        server.start();
        ResultTopicsConsumer consumer;
        try {
            consumer = new ResultTopicsConsumer(kafka, state);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        consumer.start();
        return new DashboardService(server, consumer);
    }

    /** The page's address. */
    public String url() {
        return server.url();
    }

    /** Stops the consumer, then the web server. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumer.close();
        server.close();
    }
}
