package org.xanestream.publisher.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.FramePool;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.ScanInfo;
import org.xanestream.publisher.metrics.PipelineMetrics;
import org.xanestream.publisher.metrics.ResultStats;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsHttpServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
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
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
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
        ResultStats results = new ResultStats();
        metrics.bindProcessor(results);
        FramePool pool = new FramePool(64L << 20);
        metrics.bindFramePool(pool);
        int[] depth = {5};
        metrics.bindQueueDepth("ingest", depth, d -> d[0]);
        server = OpsHttpServer.start(new OpsHttpConfig("127.0.0.1", 0), metrics.registry(), () -> report(HealthStatus.OK));

        results.onScanStart(new ScanInfo("s1", "Ni", 8347, 4, 2, null, 0, 0));
        for (int i = 0; i < 3; i++) {
            results.onEnergyPoint(new EnergyPoint("s1", i, 8340 + i, 5, 5, 8340 + i, 1.25, -0.5, 0.9, false, 0.3,
                    1000 + i, 4, 2, new float[8]));
        }
        pool.acquire(1 << 20, 1, java.util.concurrent.TimeUnit.SECONDS).release();

        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), r.headers().toString());
        String body = r.body();
        assertTrue(body.contains("xanestream_energy_points_total 3.0"), body);
        assertTrue(body.contains("xanestream_drift_px{axis=\"x\"} 1.25"), body);
        assertTrue(body.contains("xanestream_drift_px{axis=\"y\"} -0.5"), body);
        assertTrue(body.contains("xanestream_queue_depth{stage=\"ingest\"} 5.0"), body);
        assertTrue(body.contains("xanestream_frame_pool_allocations_total 1.0"), body);
        assertTrue(body.contains("xanestream_frame_pool_budget_bytes 6.7108864E7"), body);
        assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics included");

        depth[0] = 0;
        assertTrue(get("/metrics").body().contains("xanestream_queue_depth{stage=\"ingest\"} 0.0"));
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
