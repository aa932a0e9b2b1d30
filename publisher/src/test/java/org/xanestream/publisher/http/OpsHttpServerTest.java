package org.xanestream.publisher.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.adzmq.AdZmqDecoder;
import org.xanestream.ingest.zmq.ZmqFrameReceiver;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.processor.session.ProcessorStats;
import org.xanestream.publisher.metrics.PipelineMetrics;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsHttpServerTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(10)).build();
    private PipelineMetrics metrics;
    private OpsHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .timeout(java.time.Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HealthReport report(HealthStatus status) {
        return new HealthReport(status, 12_500, true, "scan-7", Map.of("ingest", 3, "publisher", 1),
                Map.of("frames_received", 42L), status == HealthStatus.OK ? List.of() : List.of("kafka unreachable"));
    }

    @Test
    void healthServesTheProbesReportAsJsonWithMatchingStatusCode() throws Exception {
        metrics = new PipelineMetrics();
        AtomicReference<HealthReport> current = new AtomicReference<>(report(HealthStatus.OK));
        server = OpsHttpServer.start(new OpsHttpConfig("127.0.0.1", 0), metrics.registry(), current::get);
        assertTrue(server.port() > 0);

        HttpResponse<String> ok = get("/health");
        assertEquals(200, ok.statusCode());
        assertTrue(ok.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode json = new ObjectMapper().readTree(ok.body());
        assertEquals("ok", json.get("status").asText());
        assertEquals(12.5, json.get("uptime_s").asDouble());
        assertTrue(json.get("kafka_connected").asBoolean());
        assertEquals("scan-7", json.get("current_scan").asText());
        assertEquals(3, json.get("queue_depth").get("ingest").asInt());
        assertEquals(1, json.get("queue_depth").get("publisher").asInt());
        assertEquals(42, json.get("counters").get("frames_received").asLong());
        assertEquals(0, json.get("problems").size());

        current.set(report(HealthStatus.DEGRADED));
        HttpResponse<String> degraded = get("/health");
        assertEquals(200, degraded.statusCode());
        assertTrue(degraded.body().contains("kafka unreachable"), degraded.body());

        current.set(report(HealthStatus.FAILED));
        assertEquals(503, get("/health").statusCode());
        current.set(report(HealthStatus.STARTING));
        assertEquals(503, get("/health").statusCode());
    }

    @Test
    void metricsServesPrometheusTextOfTheBoundStatistics() throws Exception {
        metrics = new PipelineMetrics();
        FramePool pool = new FramePool(64L << 20);
        BoundedEventQueue queue = new BoundedEventQueue(new EventQueueConfig(4, QueueFullPolicy.BLOCK));
        try (ZmqFrameReceiver receiver = new ZmqFrameReceiver(ZmqReceiverConfig.defaults(),
                new AdZmqDecoder("tcp://127.0.0.1:5555", AdZmqConfig.defaults(), pool), queue, r -> { })) {
            metrics.bindReceiver(receiver.stats());
            metrics.bindProcessor(new ProcessorStats());
            metrics.bindFramePool(pool);
            server = OpsHttpServer.start(new OpsHttpConfig("127.0.0.1", 0), metrics.registry(), () -> report(HealthStatus.OK));

            queue.put(new EndOfScan("tcp://127.0.0.1:5555", "s1"), 1, TimeUnit.SECONDS);
            pool.acquire(1 << 20, 1, TimeUnit.SECONDS).release();

            HttpResponse<String> r = get("/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), r.headers().toString());
            String body = r.body();
            String ep = "endpoint=\"tcp://127.0.0.1:5555\"";
            for (String line : new String[]{
                    "xanestream_frames_received_total{" + ep + "} 0.0",
                    "xanestream_frames_rejected_total{" + ep + ",reason=\"bad_json\"} 0.0",
                    "xanestream_frames_rejected_total{" + ep + ",reason=\"too_large\"} 0.0",
                    "xanestream_frame_gaps_total{" + ep + "} 0.0",
                    "xanestream_frames_dropped_total{" + ep + "} 0.0",
                    "xanestream_queue_depth{stage=\"ingest\"} 1.0",
                    "xanestream_queue_capacity{stage=\"ingest\"} 4.0",
                    "xanestream_energy_points_total 0.0",
                    "xanestream_drift_px{axis=\"x\"} 0.0",
                    "xanestream_energy_update_last_seconds 0.0",
                    "xanestream_frame_pool_allocations_total 1.0",
                    "xanestream_frame_pool_budget_bytes 6.7108864E7"}) {
                assertTrue(body.contains(line + "\n"), line + " in\n" + body);
            }
            assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics included");

            queue.poll();
            assertTrue(get("/metrics").body().contains("xanestream_queue_depth{stage=\"ingest\"} 0.0"));
        }
    }

    @Test
    void clientsOfferingAnHttp2UpgradeGetPlainHttp11Answers() throws Exception {
        metrics = new PipelineMetrics();
        server = OpsHttpServer.start(new OpsHttpConfig("127.0.0.1", 0), metrics.registry(), () -> report(HealthStatus.OK));
        for (int i = 0; i < 20; i++) {
            HttpClient h2 = HttpClient.newHttpClient(); // prefers HTTP/2: sends an h2c upgrade on http://
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + (i % 2 == 0 ? "/health" : "/metrics"))).timeout(java.time.Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        metrics = new PipelineMetrics();
        server = OpsHttpServer.start(new OpsHttpConfig("127.0.0.1", 0), metrics.registry(), () -> report(HealthStatus.OK));
        assertEquals(404, get("/nope").statusCode());
        assertEquals(200, get("/").statusCode());
    }

    @Test
    void busyPortFailsWithAMessageNamingHostPortAndKeys() throws Exception {
        metrics = new PipelineMetrics();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpsHttpServer.start(
                    new OpsHttpConfig("127.0.0.1", taken.getLocalPort()), metrics.registry(), () -> report(HealthStatus.OK)));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("http.port"), e.getMessage());
        }
    }
}
