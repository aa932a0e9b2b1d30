package org.xanestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The long-running commands as an operator runs them: a separate JVM started like {@code java -jar}
 * (without the Vector API flag, so the self-relaunch is exercised), reached over HTTP, stopped with
 * SIGTERM; it must shut down cleanly (exit status 143, the JVM's SIGTERM status) and say so.
 */
class CommandProcessTest {
    private static final Pattern HEALTH = Pattern.compile("health:\\s+(http://\\S+/health)");

    /** A {@code xanestream ARGS} JVM whose output lines are collected. */
    private static final class Cli implements AutoCloseable {
        final Process process;
        final Thread reader;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();

        Cli(String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("-Xmx1g");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "cli-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line matching {@code p}. */
        Matcher await(Pattern p, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                String l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null) {
                    all.add(l);
                    Matcher m = p.matcher(l);
                    if (m.find()) {
                        return m;
                    }
                }
                if (!process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("no line matching " + p + " within " + seconds + " s; output:\n" + String.join("\n", all));
        }

        /** SIGTERM, then the exit status. */
        int terminate() throws InterruptedException {
            // SIGTERM through the handle: Process.destroy() would also close our end of the output pipe
            process.toHandle().destroy();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "stopped within 120 s");
            reader.join(10_000); // until end of output (the relaunched child writes to the same pipe)
            lines.drainTo(all);
            return process.exitValue();
        }

        String output() {
            return String.join("\n", all);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static JsonNode health(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void runServesHealthAndStopsCleanlyOnSigterm() throws Exception {
        try (Cli run = new Cli("run", "--kafka.bootstrap", "embedded", "--http.port", "0", "--zmq.mode", "bind",
                "--zmq.endpoint", "tcp://127.0.0.1:*")) {
            String url = run.await(HEALTH, 120).group(1);
            assertTrue(run.output().contains("receiving tcp://127.0.0.1:"), run.output());
            assertTrue(run.output().contains("warm-up done in"), run.output());
            assertTrue(run.output().contains("topics xanes.scans, xanes.points, xanes.images, xanes.maps, xanes.rejected"),
                    run.output());
            JsonNode h = health(url);
            assertEquals("ok", h.get("status").asText(), h.toString());
            assertEquals(0, h.at("/counters/frames_received").asInt());
            assertEquals(143, run.terminate(), run.output());
            assertTrue(run.output().contains("shutting down: stop receiving, drain the processor, flush results"), run.output());
            assertTrue(run.output().contains("embedded Kafka broker") && run.output().contains("stopped"), run.output());
        }
    }

    @Test
    void demoProcessesItsSeriesAndStopsCleanlyOnSigterm() throws Exception {
        try (Cli demo = new Cli("demo", "--demo.scans", "1", "--demo.size", "64", "--demo.frame-rate", "0",
                "--demo.dashboard-port", "0", "--http.port", "0", "--processor.warm-up-scans", "0")) {
            String url = demo.await(HEALTH, 120).group(1);
            demo.await(Pattern.compile("Stop with Ctrl-C"), 10);
            assertTrue(demo.output().contains("dashboard:  http://127.0.0.1:"), demo.output());
            assertTrue(demo.output().contains("(embedded broker)"), demo.output());
            demo.await(Pattern.compile("the series is complete"), 180);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JsonNode h = health(url);
            while (h.at("/counters/scans_ended").asInt() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                h = health(url);
            }
            assertEquals(1, h.at("/counters/scans_ended").asInt(), h.toString());
            assertEquals(0, h.at("/counters/frames_dropped").asInt(), h.toString());
            assertEquals(0, h.at("/counters/frames_rejected").asInt(), h.toString());
            assertEquals(143, demo.terminate(), demo.output());
            assertTrue(demo.output().contains("shutting down"), demo.output());
            assertTrue(!demo.output().contains("error"), demo.output());
        }
    }
}
