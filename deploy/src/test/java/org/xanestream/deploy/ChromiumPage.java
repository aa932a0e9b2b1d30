package org.xanestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One headless Chromium page driven over the DevTools protocol (a WebSocket, JDK client only): navigate,
 * evaluate JavaScript, click, take screenshots. Uses the Debian {@code chromium} package; fails (never
 * skips) when it is missing. Launch flags as measured on this kind of machine: no sandbox (root), no GPU,
 * no background networking (the network is closed), a fresh profile per launch.
 */
final class ChromiumPage implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path profile;
    private final WebSocket ws;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> consoleErrors = new ArrayList<>();

    private ChromiumPage(Process process, Path profile, WebSocket ws) {
        this.process = process;
        this.profile = profile;
        this.ws = ws;
    }

    /** The Chromium binary: {@code $CHROMIUM_BIN}, else the Debian paths; fails if none exists. */
    static Path chromium() {
        String env = System.getenv("CHROMIUM_BIN");
        List<String> candidates = env != null && !env.isBlank() ? List.of(env)
                : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium");
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("Chromium not found at " + candidates + ": install the Debian packages "
                + "'chromium chromium-driver' (.ci/run does) or set CHROMIUM_BIN");
    }

    static ChromiumPage launch(int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("xanes-chromium-");
        Process p = new ProcessBuilder(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String pageWs = null;
            while (pageWs == null) {
                JsonNode list = JSON.readTree(http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : list) {
                    if ("page".equals(t.path("type").asText())) {
                        pageWs = t.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageWs == null) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("Chromium has no page target");
                    }
                    Thread.sleep(50);
                }
            }
            Holder h = new Holder();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), h).get(30, TimeUnit.SECONDS);
            ChromiumPage page = new ChromiumPage(p, profile, ws);
            h.page = page;
            page.send("Page.enable", JSON.createObjectNode());
            page.send("Runtime.enable", JSON.createObjectNode());
            ObjectNode metrics = JSON.createObjectNode().put("width", width).put("height", height)
                    .put("deviceScaleFactor", 1).put("mobile", false);
            page.send("Emulation.setDeviceMetricsOverride", metrics);
            return page;
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Receives DevTools messages (text, possibly in parts). */
    private static final class Holder implements WebSocket.Listener {
        volatile ChromiumPage page;
        private final StringBuilder buf = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buf.append(data);
            if (last) {
                String msg = buf.toString();
                buf.setLength(0);
                try {
                    JsonNode n = JSON.readTree(msg);
                    ChromiumPage p = page;
                    if (p != null) {
                        p.dispatch(n);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("bad DevTools message", e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    private void dispatch(JsonNode n) {
        if (n.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
            if (f != null) {
                f.complete(n);
            }
        } else if ("Runtime.exceptionThrown".equals(n.path("method").asText())) {
            synchronized (consoleErrors) {
                consoleErrors.add(n.path("params").path("exceptionDetails").toString());
            }
        }
    }

    /** Sends a DevTools command and waits up to 30 s for its result. */
    JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        ws.sendText(JSON.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        JsonNode r = f.get(30, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    void navigate(String url) throws Exception {
        send("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Evaluates an expression (awaiting promises) and returns its JSON value. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + expression + " → " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Polls a boolean expression until true; fails with {@code what} and the page's diagnostic after the timeout. */
    void waitFor(String expression, Duration timeout, String what, String diagnostic) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode v;
            try {
                v = eval("(() => { try { return !!(" + expression + "); } catch (e) { return false; } })()");
            } catch (IllegalStateException e) {
                v = null;
            }
            if (v != null && v.asBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; page: " + eval(diagnostic)
                        + "; errors: " + consoleErrors());
            }
            Thread.sleep(100);
        }
    }

    /** A left click at page coordinates. */
    void click(double x, double y) throws Exception {
        for (String type : new String[]{"mouseMoved", "mousePressed", "mouseReleased"}) {
            ObjectNode p = JSON.createObjectNode().put("type", type).put("x", x).put("y", y)
                    .put("button", type.equals("mouseMoved") ? "none" : "left").put("clickCount", 1);
            send("Input.dispatchMouseEvent", p);
        }
    }

    /** A PNG of the whole viewport. */
    byte[] screenshot() throws Exception {
        JsonNode r = send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        return Base64.getDecoder().decode(r.path("data").asText());
    }

    List<String> consoleErrors() {
        synchronized (consoleErrors) {
            return List.copyOf(consoleErrors);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser goes away anyway
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> s = Files.walk(profile)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
