package org.xanestream.publisher.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xanestream.publisher.results.EncodedRecord;
import org.xanestream.publisher.results.FakeResultSource;
import org.xanestream.publisher.results.SyntheticScan;
import org.xanestream.publisher.results.TopicKind;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(10)).build();
    private DashboardServer server;
    private Vertx clientVertx;
    private WebSocketClient wsClient;

    @AfterEach
    void stop() throws Exception {
        if (clientVertx != null) {
            clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder().timeout(java.time.Duration.ofSeconds(60)).uri(URI.create(server.url().replaceAll("/$", "") + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesPageSummaryRawMapPngStatsAndSpectrum() throws Exception {
        DashboardState st = new DashboardState(DashboardConfig.defaults());
        SyntheticScan scan = SyntheticScan.small("s1", 0);
        new FakeResultSource(st).feedAll(scan.records());
        server = new DashboardServer(st, DashboardConfig.defaults().withHttp("127.0.0.1", 0));
        server.start();
        assertTrue(server.url().startsWith("http://127.0.0.1:"));

        HttpResponse<byte[]> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("map-canvas"));
        assertEquals(200, get("/app.js").statusCode());

        JsonNode summary = JSON.readTree(get("/api/scans/latest").body());
        assertEquals("s1", summary.get("id").asText());
        assertEquals("end", summary.get("status").asText());

        HttpResponse<byte[]> raw = get("/api/scans/s1/maps/whiteline_ev/raw");
        assertEquals(200, raw.statusCode());
        assertEquals("128", raw.headers().firstValue("X-Width").orElseThrow());
        assertEquals("96", raw.headers().firstValue("X-Height").orElseThrow());
        assertEquals("true", raw.headers().firstValue("X-Final").orElseThrow());
        float[] got = new float[128 * 96];
        ByteBuffer.wrap(raw.body()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertArrayEquals(st.map("s1", "whiteline_ev").values(), got);

        HttpResponse<byte[]> png = get("/api/scans/s1/maps/whiteline_ev/png?lo=8349&hi=8352");
        assertEquals("image/png", png.headers().firstValue("content-type").orElseThrow());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(128, img.getWidth());
        int inB = img.getRGB(scan.centerBX(), scan.centerBY());
        float v = st.map("s1", "whiteline_ev").values()[scan.centerBY() * 128 + scan.centerBX()];
        assertEquals(Colormap.rgb(Colormap.index(v, 8349, 8352)), inB & 0xFFFFFF);
        assertEquals(0, img.getRGB(5, 5) >>> 24, "background is outside the mask: transparent");

        JsonNode stats = JSON.readTree(get("/api/scans/s1/maps/whiteline_ev/stats").body());
        assertTrue(stats.get("masked").asBoolean());
        assertTrue(stats.get("n").asLong() > 1000);

        JsonNode sp = JSON.readTree(get("/api/scans/latest/spectrum?x=" + scan.centerAX() + "&y=" + scan.centerAY()).body());
        assertEquals(40, sp.get("mu").size());
        assertEquals(SyntheticScan.WHITELINE_A_EV, sp.get("fit").get("whitelineEv").asDouble(), 0.6);

        assertEquals(404, get("/api/scans/nope").statusCode());
        assertEquals(404, get("/api/scans/s1/maps/nope/raw").statusCode());
        assertEquals(768, JSON.readTree(get("/api/colormap").body()).get("rgb").size());
    }

    /** What one test client saw. */
    private static final class Seen {
        final AtomicLong bytes = new AtomicLong();
        final AtomicInteger maps = new AtomicInteger();
        volatile int lastVersion = -1;
        volatile boolean lastFinal;
        volatile WebSocket ws;
    }

    @Test
    void twentyClientsOneNotReadingTheOthersGetTheLatestAndServerBufferingStaysBounded() throws Exception {
        int queueBytes = 64 * 1024;
        DashboardConfig cfg = new DashboardConfig("127.0.0.1", 0, 10, 2, 2, 24, 600, 1024 * 1024, 256 * 256,
                512 * 512, queueBytes, 20, 30_000, 32 * 1024);
        DashboardState st = new DashboardState(cfg);
        server = new DashboardServer(st, cfg);
        int port = server.start();

        clientVertx = Vertx.vertx();
        wsClient = clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(64 << 20));
        List<Seen> healthy = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            healthy.add(connect(port));
        }
        // The 20th client completes the WebSocket handshake and then never reads a byte.
        try (Socket stalled = stalledClient(port)) {
            // 128x128 maps after every one of 40 energies: each map message is ~82 KB.
            SyntheticScan scan = new SyntheticScan("big", 128, 128, 40, 1, 1, 2, 32, 0, 0, 0, 7);
            FakeResultSource src = new FakeResultSource(st);
            List<EncodedRecord> records = scan.records();
            int version = 0;
            for (int i = 0; i < records.size(); i++) {
                EncodedRecord r = records.get(i);
                src.feed(r);
                boolean lastBandOfVersion = r.kind() == TopicKind.MAPS
                        && (i + 1 == records.size() || records.get(i + 1).kind() != TopicKind.MAPS);
                if (lastBandOfVersion && ++version < 40) {
                    // Stream at the pace of the reading clients: each version reaches them before the next
                    // (so the volume they receive does not depend on machine speed); the stalled one never reads.
                    awaitVersion(healthy, version);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !allFinal(healthy, 40)) {
                Thread.sleep(50);
            }
            for (Seen s : healthy) {
                assertTrue(s.lastFinal, "a reading client must receive the final map");
                assertEquals(40, s.lastVersion);
            }
            List<ClientStats> stats = awaitStats(20);
            ClientStats slowest = stats.get(0);
            for (ClientStats c : stats) {
                if (c.bytesWritten() < slowest.bytesWritten()) {
                    slowest = c;
                }
            }
            long healthyMinBytes = Long.MAX_VALUE;
            long largest = 0;
            for (ClientStats c : stats) {
                largest = Math.max(largest, c.largestMessage());
                if (c != slowest) {
                    healthyMinBytes = Math.min(healthyMinBytes, c.bytesWritten());
                    assertTrue(c.lastMapFinal(), "client " + c);
                }
            }
            // The server writes to a client only while its queue is below the high-water mark, so what a
            // non-reading client holds is the queue, at most one message past it per push step (overview,
            // scan, map), and the kernel socket buffers of both ends (set small here).
            long bound = queueBytes + 3 * largest + 256 * 1024;
            assertTrue(slowest.deferredFull() > 0, "the stalled client's queue must have been full: " + slowest);
            assertTrue(slowest.bytesWritten() <= bound, "stalled client was sent " + slowest.bytesWritten()
                    + " bytes, bound " + bound);
            assertTrue(!slowest.lastMapFinal(), "the stalled client cannot have been sent the final map: " + slowest);
            assertTrue(healthyMinBytes > 4 * bound, "reading clients were sent only " + healthyMinBytes
                    + " bytes, bound " + bound + "; stats " + stats);
            // The state's pixel memory is the stored maps and binned images, independent of the clients.
            assertEquals((8L * 128 * 128 + 40L * 64 * 64) * 4, st.pixelBytes());

            // Latest wins: a client arriving now gets the final version first, not the backlog.
            Seen late = connect(port);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && late.maps.get() == 0) {
                Thread.sleep(20);
            }
            assertEquals(1, late.maps.get());
            assertTrue(late.lastFinal);
        }
    }

    private Seen connect(int port) throws Exception {
        Seen s = new Seen();
        // Handlers are set in the completion callback, on the connection's event loop, so no message is
        // delivered before they are in place.
        s.ws = wsClient.connect(port, "127.0.0.1", "/ws").map(ws -> {
            ws.textMessageHandler(t -> s.bytes.addAndGet(t.length()));
            ws.binaryMessageHandler(b -> onMap(s, b));
            return ws;
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return s;
    }

    private List<ClientStats> awaitStats(int clients) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ClientStats> stats = server.clientStats();
        while (System.nanoTime() < deadline) {
            stats = server.clientStats();
            boolean current = stats.size() == clients;
            for (ClientStats c : stats) {
                current &= c.bytesWritten() > 0;
            }
            if (current) {
                break;
            }
            Thread.sleep(20);
        }
        Thread.sleep(100);
        return server.clientStats();
    }

    /** A WebSocket client that shakes hands and then never reads (a tiny receive buffer). */
    private static Socket stalledClient(int port) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        s.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IllegalStateException("handshake closed: " + head);
            }
            head.append((char) c);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
        return s;
    }

    private static void awaitVersion(List<Seen> seen, int version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Seen s : seen) {
            while (s.lastVersion < version) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a reading client did not get map version " + version + " in 20 s");
                }
                Thread.sleep(2);
            }
        }
    }

    private static boolean allFinal(List<Seen> seen, int version) {
        for (Seen s : seen) {
            if (!s.lastFinal || s.lastVersion != version) {
                return false;
            }
        }
        return true;
    }

    private static void onMap(Seen s, Buffer b) {
        s.bytes.addAndGet(b.length());
        int h = b.getIntLE(0);
        try {
            JsonNode header = JSON.readTree(b.getString(4, 4 + h));
            s.lastFinal = header.get("final").asBoolean();
            s.lastVersion = header.get("version").asInt();
            s.maps.incrementAndGet();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
