package org.xanestream.publisher.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The live dashboard's web server: a static page, JSON/PNG/float32 endpoints and a WebSocket that
 * pushes updates to browsers.
 *
 * <p>Push model (latest wins): every {@code pushIntervalMs} the server compares the state's
 * revisions with what each browser last received and, if the browser's write queue is not full,
 * writes the newest overview, the newest detail of the browser's selected scan and the newest version
 * of its selected map. Nothing is queued per browser: a browser whose queue is full is skipped and,
 * when it drains, gets whatever is newest then. So a slow browser never slows the server or the other
 * browsers, and holds at most {@code wsWriteQueueBytes} plus one message. Messages are built once per
 * version and shared by all browsers; map messages (block-averaged to {@code displayPixelLimit}, with
 * histogram and statistics) are built on a worker thread, never on the event loop.
 *
 * <p>Endpoints ({@code :scan} may be {@code latest}):
 * <ul>
 *   <li>{@code GET /} the page; {@code /ws} the WebSocket (JSON text messages {@code overview},
 *       {@code scan}, {@code hb}; binary map messages, see {@link MapRender#displayMessage}; the
 *       browser sends {@code {"type":"select","scan":..,"map":..}})</li>
 *   <li>{@code GET /api/scans} overview JSON; {@code /api/scans/:scan} scan summary JSON</li>
 *   <li>{@code GET /api/scans/:scan/maps/:map/png?lo=&hi=&mask=true} colormapped PNG (default range
 *       p02–p98 of trusted pixels)</li>
 *   <li>{@code GET /api/scans/:scan/maps/:map/raw} float32 little-endian rows, headers
 *       {@code X-Width}, {@code X-Height}, {@code X-Scale} (full-resolution pixels per pixel),
 *       {@code X-Version}, {@code X-Final}</li>
 *   <li>{@code GET /api/scans/:scan/maps/:map/stats} statistics and histogram over trusted pixels</li>
 *   <li>{@code GET /api/scans/:scan/spectrum?x=&y=[&x1=&y1=]} region spectrum JSON, full-resolution pixels</li>
 *   <li>{@code GET /api/colormap} the colormap table</li>
 * </ul>
 *
 * <p>Thread safety: {@link #start()}/{@link #close()} from any thread; all connection state lives on
 * one Vert.x event-loop context.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HIST_BINS = 64;
    private static final int PRODUCT_CACHE = 32;
    private static final String RES = "/org/xanestream/publisher/dashboard/web/";

    private final DashboardState state;
    private final DashboardConfig config;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private Context ctx;
    private HttpServer server;
    private int port = -1;
    private long pushTimer = -1;
    private long heartbeatTimer = -1;
    private long nextClientId = 1;
    // Event-loop confined:
    private final List<Client> clients = new ArrayList<>();
    private long overviewRevision = -1;
    private String overviewJson;
    private final Map<String, CachedText> scanJson = new LinkedHashMap<>();
    private final Map<String, Products> products = new LinkedHashMap<>(16, 0.75f, true);
    private volatile List<ClientStats> statsSnapshot = List.of();

    public DashboardServer(DashboardState state, DashboardConfig config) {
        this(Vertx.vertx(), true, state, config);
    }

    /** Uses a Vert.x instance owned by the caller (not closed by {@link #close()}). */
    public DashboardServer(Vertx vertx, DashboardState state, DashboardConfig config) {
        this(vertx, false, state, config);
    }

    private DashboardServer(Vertx vertx, boolean owns, DashboardState state, DashboardConfig config) {
        this.vertx = vertx;
        this.ownsVertx = owns;
        this.state = state;
        this.config = config;
    }

    /**
     * Binds and starts pushing; blocks up to 10 s.
     *
     * @return the bound port
     * @throws IllegalStateException if the port cannot be bound
     */
    public int start() {
        ctx = vertx.getOrCreateContext();
        Promise<Integer> bound = Promise.promise();
        ctx.runOnContext(v -> {
            Router router = router();
            HttpServerOptions opts = new HttpServerOptions().setHost(config.httpHost()).setPort(config.httpPort())
                    .setCompressionSupported(true).setMaxWebSocketMessageSize(1 << 16)
                    // Plain HTTP/1.1 (no h2c upgrade): a Java HttpClient's upgrade request hung on large bodies.
                    .setHttp2ClearTextEnabled(false);
            if (config.socketSendBufferBytes() > 0) {
                opts.setSendBufferSize(config.socketSendBufferBytes());
            }
            server = vertx.createHttpServer(opts).webSocketHandler(this::onWebSocket).requestHandler(router);
            server.listen().onComplete(ar -> {
                if (ar.failed()) {
                    bound.fail(ar.cause());
                    return;
                }
                port = ar.result().actualPort();
                pushTimer = vertx.setPeriodic(config.pushIntervalMs(), t -> pushAll());
                heartbeatTimer = vertx.setPeriodic(1000, t -> heartbeat());
                bound.complete(port);
            });
        });
        try {
            return bound.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("dashboard could not listen on " + config.httpHost() + ":"
                    + config.httpPort() + ": " + (e.getCause() != null ? e.getCause().getMessage() : e), e);
        }
    }

    /** The bound port (after {@link #start()}). */
    public int port() {
        return port;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        String host = config.httpHost().equals("0.0.0.0") ? "127.0.0.1" : config.httpHost();
        return "http://" + host + ":" + port + "/";
    }

    /** Counters of the connected browsers (refreshed every push period). */
    public List<ClientStats> clientStats() {
        return statsSnapshot;
    }

    /** Number of connected WebSocket clients as of the last push period. */
    public int clientCount() {
        return statsSnapshot.size();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------

    private Router router() {
        Router r = Router.router(vertx);
        Buffer index = resource("index.html");
        Buffer js = resource("app.js");
        Buffer css = resource("app.css");
        r.get("/").handler(c -> c.response().putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("cache-control", "no-cache").end(index));
        r.get("/app.js").handler(c -> c.response().putHeader("content-type", "text/javascript; charset=utf-8")
                .putHeader("cache-control", "no-cache").end(js));
        r.get("/app.css").handler(c -> c.response().putHeader("content-type", "text/css; charset=utf-8")
                .putHeader("cache-control", "no-cache").end(css));
        r.get("/api/colormap").handler(c -> json(c, colormapJson()));
        r.get("/api/scans").handler(c -> json(c, state.overviewJson()));
        r.get("/api/scans/:scan").handler(c -> {
            String id = state.resolveScanId(c.pathParam("scan"));
            String body = id == null ? null : state.scanJson(id);
            if (body == null) {
                notFound(c, "no scan " + c.pathParam("scan"));
            } else {
                json(c, body);
            }
        });
        r.get("/api/scans/:scan/maps/:map/raw").handler(c -> {
            MapView m = mapOf(c);
            if (m == null) {
                return;
            }
            blocking(c, () -> MapRender.rawFloat32(m), bytes -> c.response()
                    .putHeader("content-type", "application/octet-stream").putHeader("X-Width", "" + m.width())
                    .putHeader("X-Height", "" + m.height()).putHeader("X-Scale", "" + m.scale())
                    .putHeader("X-Bin", "" + m.bin()).putHeader("X-Version", "" + m.version())
                    .putHeader("X-Final", "" + m.finalMap()).putHeader("X-Dtype", "float32")
                    .end(Buffer.buffer(bytes)));
        });
        r.get("/api/scans/:scan/maps/:map/stats").handler(c -> {
            MapView m = mapOf(c);
            if (m == null) {
                return;
            }
            MapView mask = state.mask(m.scanId());
            blocking(c, () -> {
                JsonOut j = new JsonOut().begin().str("scan", m.scanId()).str("map", m.name())
                        .num("version", m.version()).bool("final", m.finalMap()).bool("masked", mask != null);
                MapStats.of(m, mask, HIST_BINS).write(j);
                return j.end().done();
            }, s -> json(c, s));
        });
        r.get("/api/scans/:scan/maps/:map/png").handler(c -> {
            MapView m = mapOf(c);
            if (m == null) {
                return;
            }
            boolean applyMask = !"false".equalsIgnoreCase(c.request().getParam("mask"));
            MapView mask = state.mask(m.scanId());
            Double lo = doubleParam(c, "lo");
            Double hi = doubleParam(c, "hi");
            blocking(c, () -> {
                double l = lo != null ? lo : Double.NaN;
                double h = hi != null ? hi : Double.NaN;
                if (lo == null || hi == null) {
                    MapStats st = MapStats.of(m, mask, HIST_BINS);
                    l = lo != null ? lo : st.p02();
                    h = hi != null ? hi : st.p98();
                }
                return MapRender.png(m, mask, l, h, applyMask);
            }, png -> c.response().putHeader("content-type", "image/png").putHeader("X-Version", "" + m.version())
                    .end(Buffer.buffer(png)));
        });
        r.get("/api/scans/:scan/spectrum").handler(c -> {
            String id = state.resolveScanId(c.pathParam("scan"));
            Double x = doubleParam(c, "x");
            Double y = doubleParam(c, "y");
            if (id == null || x == null || y == null) {
                notFound(c, id == null ? "no scan " + c.pathParam("scan") : "x and y are required");
                return;
            }
            Double x1 = doubleParam(c, "x1");
            Double y1 = doubleParam(c, "y1");
            int ix = (int) Math.floor(x);
            int iy = (int) Math.floor(y);
            int ix1 = x1 == null ? ix + 1 : (int) Math.ceil(x1);
            int iy1 = y1 == null ? iy + 1 : (int) Math.ceil(y1);
            blocking(c, () -> state.spectrumJson(id, Math.min(ix, ix1), Math.min(iy, iy1), Math.max(ix, ix1),
                    Math.max(iy, iy1)), s -> json(c, s));
        });
        return r;
    }

    private MapView mapOf(RoutingContext c) {
        String id = state.resolveScanId(c.pathParam("scan"));
        MapView m = id == null ? null : state.map(id, c.pathParam("map"));
        if (m == null) {
            notFound(c, "no map " + c.pathParam("map") + " for scan " + c.pathParam("scan"));
        }
        return m;
    }

    private static Double doubleParam(RoutingContext c, String name) {
        String v = c.request().getParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private <T> void blocking(RoutingContext c, java.util.concurrent.Callable<T> work,
                              io.vertx.core.Handler<T> reply) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("dashboard request {} failed", c.request().uri(), ar.cause());
                c.response().setStatusCode(500).end(String.valueOf(ar.cause().getMessage()));
            } else if (ar.result() == null) {
                notFound(c, "not found");
            } else {
                reply.handle(ar.result());
            }
        });
    }

    private static void json(RoutingContext c, String body) {
        c.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-cache").end(body);
    }

    private static void notFound(RoutingContext c, String why) {
        c.response().setStatusCode(404).putHeader("content-type", "text/plain").end(why);
    }

    private static String colormapJson() {
        byte[] lut = Colormap.rgbTable();
        JsonOut j = new JsonOut().begin().str("name", "oklab-viridis-like").array("rgb");
        for (byte b : lut) {
            j.value(b & 0xFF);
        }
        return j.endArray().end().done();
    }

    private static Buffer resource(String name) {
        try (InputStream in = DashboardServer.class.getResourceAsStream(RES + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + RES + name + " is missing from the jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read dashboard resource " + name, e);
        }
    }

    // ---- WebSocket push -----------------------------------------------------------------------------

    /** One browser. Event-loop confined. */
    private final class Client {
        final long id = nextClientId++;
        final ServerWebSocket ws;
        String selectedScan = "latest";
        String selectedMap;
        long sentOverview = -1;
        String sentScanId;
        long sentScanRevision = -1;
        String sentMapKey;
        boolean closed;
        long bytes;
        long messages;
        long deferred;
        long maps;
        int lastMapVersion = -1;
        boolean lastMapFinal;
        long largest;

        Client(ServerWebSocket ws) {
            this.ws = ws;
        }

        boolean full() {
            return closed || ws.writeQueueFull();
        }

        void text(String s) {
            ws.writeTextMessage(s);
            count(s.length());
        }

        void binary(Buffer b) {
            ws.writeBinaryMessage(b);
            count(b.length());
        }

        private void count(long n) {
            bytes += n;
            messages++;
            largest = Math.max(largest, n);
        }
    }

    private void onWebSocket(ServerWebSocket ws) {
        if (!"/ws".equals(ws.path())) {
            ws.close((short) 1008, "unknown path");
            return;
        }
        Client c = new Client(ws);
        ws.setWriteQueueMaxSize(config.wsWriteQueueBytes());
        ws.drainHandler(v -> pump(c));
        ws.closeHandler(v -> {
            c.closed = true;
            clients.remove(c);
        });
        ws.exceptionHandler(e -> LOG.debug("dashboard client {} error: {}", c.id, e.toString()));
        ws.textMessageHandler(msg -> onClientMessage(c, msg));
        clients.add(c);
        pump(c);
    }

    private void onClientMessage(Client c, String msg) {
        try {
            JsonNode n = JSON.readTree(msg);
            if (n != null && "select".equals(n.path("type").asText())) {
                String scan = n.path("scan").asText("");
                String map = n.path("map").asText("");
                c.selectedScan = scan.isEmpty() ? "latest" : scan;
                c.selectedMap = map.isEmpty() ? null : map;
                c.sentMapKey = null;
                c.sentScanId = null;
                pump(c);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("ignoring bad message from dashboard client {}: {}", c.id, e.toString());
        }
    }

    private void pushAll() {
        long rev = state.revision();
        if (rev != overviewRevision) {
            overviewJson = state.overviewJson();
            overviewRevision = rev;
        }
        List<Client> snapshot = new ArrayList<>(clients);
        for (Client c : snapshot) {
            pump(c);
        }
        evictProducts();
        List<ClientStats> stats = new ArrayList<>(clients.size());
        for (Client c : clients) {
            stats.add(new ClientStats(c.id, c.bytes, c.messages, c.deferred, c.maps, c.lastMapVersion,
                    c.lastMapFinal, c.largest));
        }
        statsSnapshot = List.copyOf(stats);
    }

    private void heartbeat() {
        for (Client c : new ArrayList<>(clients)) {
            if (!c.full()) {
                c.text("{\"type\":\"hb\",\"serverMillis\":" + System.currentTimeMillis() + "}");
            }
        }
    }

    /** Writes whatever is newer than what {@code c} has, in priority order, while its queue accepts. */
    private void pump(Client c) {
        if (c.closed) {
            return;
        }
        if (c.full()) {
            c.deferred++;
            return;
        }
        if (overviewJson == null || state.revision() != overviewRevision) {
            overviewJson = state.overviewJson();
            overviewRevision = state.revision();
        }
        if (c.sentOverview != overviewRevision) {
            c.text(overviewJson);
            c.sentOverview = overviewRevision;
            if (c.full()) {
                c.deferred++;
                return;
            }
        }
        String scan = state.resolveScanId(c.selectedScan);
        if (scan == null) {
            return;
        }
        long srev = state.scanRevision(scan);
        if (!scan.equals(c.sentScanId) || srev != c.sentScanRevision) {
            String body = scanText(scan, srev);
            if (body == null) {
                return;
            }
            c.text(body);
            c.sentScanId = scan;
            c.sentScanRevision = srev;
            if (c.full()) {
                c.deferred++;
                return;
            }
        }
        String mapName = c.selectedMap != null ? c.selectedMap : defaultMap(scan);
        MapView m = mapName == null ? null : state.map(scan, mapName);
        if (m == null) {
            return;
        }
        MapView mask = state.mask(scan);
        String key = m.scanId() + '\u0000' + m.name() + '\u0000' + m.rank() + '\u0000' + (mask == null ? -1 : mask.rank());
        if (key.equals(c.sentMapKey)) {
            return;
        }
        String slot = m.scanId() + '\u0000' + m.name();
        Products p = products.computeIfAbsent(slot, k -> new Products());
        // The newest completed message is always newer than what the client has (a selection change
        // resets sentMapKey), so send it even while a still newer one is being built: under a fast stream
        // clients then see every version the renderer finishes instead of waiting for the stream to pause.
        if (p.ready != null && !p.readyKey.equals(c.sentMapKey)) {
            c.binary(p.ready);
            c.sentMapKey = p.readyKey;
            c.maps++;
            c.lastMapVersion = p.readyVersion;
            c.lastMapFinal = p.readyFinal;
        }
        if (key.equals(p.readyKey) || p.buildingKey != null) {
            return;
        }
        // One render per map at a time; when it finishes, every client is pumped and the next one starts.
        p.buildingKey = key;
        vertx.executeBlocking(() -> MapRender.displayMessage(m, mask, MapStats.of(m, mask, HIST_BINS),
                config.displayPixelLimit()), false).onComplete(ar -> {
            p.buildingKey = null;
            if (ar.failed()) {
                LOG.warn("could not render map {} of scan {}", m.name(), m.scanId(), ar.cause());
                return;
            }
            p.ready = Buffer.buffer(ar.result());
            p.readyKey = key;
            p.readyVersion = m.version();
            p.readyFinal = m.finalMap();
            for (Client other : new ArrayList<>(clients)) {
                pump(other);
            }
        });
    }

    private String defaultMap(String scan) {
        List<String> names = state.mapNames(scan);
        if (names.contains("whiteline_ev")) {
            return "whiteline_ev";
        }
        for (String n : names) {
            if (!n.equals("mask")) {
                return n;
            }
        }
        return names.isEmpty() ? null : names.get(0);
    }

    private String scanText(String scan, long rev) {
        CachedText t = scanJson.get(scan);
        if (t != null && t.revision == rev) {
            return t.text;
        }
        String s = state.scanJson(scan);
        if (s == null) {
            return null;
        }
        scanJson.put(scan, new CachedText(rev, s));
        if (scanJson.size() > PRODUCT_CACHE) {
            scanJson.remove(scanJson.keySet().iterator().next());
        }
        return s;
    }

    /** Keeps only products a client may still need (bounded cache, least recently used out). */
    private void evictProducts() {
        while (products.size() > PRODUCT_CACHE) {
            products.remove(products.keySet().iterator().next());
        }
    }

    private record CachedText(long revision, String text) {
    }

    /** The render products of one (scan, map): the newest finished message and the one being built. */
    private static final class Products {
        String readyKey;
        Buffer ready;
        int readyVersion;
        boolean readyFinal;
        String buildingKey;
    }

    /** Stops pushing, closes the connections and the server (and Vert.x if owned); waits up to 5 s. */
    @Override
    public void close() {
        if (ctx == null) {
            return;
        }
        Promise<Void> done = Promise.promise();
        ctx.runOnContext(v -> {
            vertx.cancelTimer(pushTimer);
            vertx.cancelTimer(heartbeatTimer);
            for (Client c : new ArrayList<>(clients)) {
                c.closed = true;
                c.ws.close();
            }
            clients.clear();
            Future<Void> f = server == null ? Future.succeededFuture() : server.close();
            f.onComplete(ar -> done.complete());
        });
        try {
            done.future().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            if (ownsVertx) {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("dashboard did not close cleanly: {}", e.toString());
        }
        ctx = null;
    }
}
