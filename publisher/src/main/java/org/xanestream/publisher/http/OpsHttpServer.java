package org.xanestream.publisher.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operations HTTP server: {@code GET /health} (JSON, status 200 when OK or degraded, 503 otherwise)
 * and {@code GET /metrics} (Prometheus text exposition of a Micrometer registry). Runs on its own small
 * Vert.x instance (one event loop), so it never shares threads with the pipeline.
 *
 * <p>{@link #start} and {@link #close} block the caller until the server listens or has stopped; they are
 * thread safe. Requests are served on the event loop; the health probe and the registry scrape must not
 * block (both only read counters).
 */
public final class OpsHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final long START_TIMEOUT_S = 30;

    private final Vertx vertx;
    private final HttpServer server;

    private OpsHttpServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * Starts listening.
     *
     * @param config   host and port
     * @param registry the meters to expose on {@code /metrics}
     * @param health   answers {@code /health}
     * @throws IllegalStateException naming host and port if the server cannot listen (port in use...)
     */
    public static OpsHttpServer start(OpsHttpConfig config, PrometheusMeterRegistry registry, HealthProbe health) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(health, "health");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        Router router = Router.router(vertx);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.get("/health").handler(ctx -> health(ctx, health));
        router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; charset=utf-8")
                .end("xanestream: GET /health (JSON), GET /metrics (Prometheus)\n"));
        try {
            // HTTP/1.1 only: scrapers and probes speak it, and answering h2c upgrade requests (the JDK client
            // sends one by default) intermittently left such a client waiting forever.
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                            .setHttp2ClearTextEnabled(false))
                    .requestHandler(router)
                    .listen()
                    .toCompletionStage().toCompletableFuture().get(START_TIMEOUT_S, TimeUnit.SECONDS);
            LOG.info("health and metrics on http://{}:{}/ (/health, /metrics)", config.host(), server.actualPort());
            return new OpsHttpServer(vertx, server);
        } catch (ExecutionException | TimeoutException e) {
            vertx.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot serve /health and /metrics on " + config.host() + ":" + config.port()
                    + " (http.host / http.port): " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            vertx.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the HTTP server", e);
        }
    }

    private static void health(RoutingContext ctx, HealthProbe probe) {
        HealthReport r;
        try {
            r = probe.report();
        } catch (RuntimeException e) {
            LOG.warn("health probe failed", e);
            ctx.response().setStatusCode(500).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("status", "error").put("problems", new JsonArray().add(String.valueOf(e))).encode());
            return;
        }
        ctx.response().setStatusCode(r.status().httpStatus())
                .putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store")
                .end(toJson(r).encodePrettily());
    }

    /** The JSON body of {@code /health}: snake_case keys, sorted maps. */
    static JsonObject toJson(HealthReport r) {
        JsonObject queues = new JsonObject();
        for (Map.Entry<String, Integer> e : new TreeMap<>(r.queueDepths()).entrySet()) {
            queues.put(e.getKey(), e.getValue());
        }
        JsonObject counters = new JsonObject();
        for (Map.Entry<String, Long> e : new TreeMap<>(r.counters()).entrySet()) {
            counters.put(e.getKey(), e.getValue());
        }
        return new JsonObject()
                .put("status", r.status().wireName())
                .put("uptime_s", r.uptimeMillis() / 1000.0)
                .put("kafka_connected", r.kafkaConnected())
                .put("current_scan", r.currentScan())
                .put("queue_depth", queues)
                .put("counters", counters)
                .put("problems", new JsonArray(r.problems()));
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return server.actualPort();
    }

    /** Stops listening and releases the event loop; waits up to 10 s. */
    @Override
    public void close() {
        try {
            // Sequential waits from the caller's thread: a close composed on the event loop would complete on
            // a loop that is shutting down and never be delivered.
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
