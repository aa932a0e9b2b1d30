package org.xanestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xanestream.deploy.kafka.EmbeddedBrokerConfig;
import org.xanestream.deploy.kafka.EmbeddedKafkaBroker;
import org.xanestream.publisher.dashboard.DashboardConfig;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.publisher.kafka.KafkaResultPublisher;
import org.xanestream.publisher.kafka.ResultConsumerConfig;
import org.xanestream.publisher.results.SyntheticScan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser during a simulated scan: the scan goes through the real Kafka publisher
 * into an embedded broker, the dashboard consumes it like any subscriber, headless Chromium shows it.
 * Checks the page's own state (the map values, trust mask and canvas colours at the particles, the
 * histogram as energies arrive, a clicked pixel's spectrum) and writes a screenshot to target/.
 */
class DashboardBrowserTest {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(EmbeddedBrokerConfig.defaults());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static final String DIAG = "JSON.stringify({ws: xanesState.ws, source: xanesState.source, "
            + "scans: xanesState.scans.length, map: xanesState.map && {name: xanesState.map.name, "
            + "version: xanesState.map.version, final: xanesState.map.final}, counters: xanesState.counters})";

    @Test
    void pageShowsTheLiveMapHistogramAndAClickedPixelSpectrumOfAStreamingScan() throws Exception {
        String prefix = "browsertest";
        KafkaPublisherConfig pc = KafkaPublisherConfig.builder().bootstrapServers(broker.bootstrapServers())
                .topicPrefix(prefix).liveMapMinIntervalMs(0).imageMinIntervalMs(0).progressIntervalMs(500).build();
        ResultConsumerConfig cc = new ResultConsumerConfig(broker.bootstrapServers(), prefix, true, 100, 500, "browser-test");
        SyntheticScan scan = new SyntheticScan("operando-001", 128, 96, 40, 2, 1, 1, 16,
                System.currentTimeMillis(), 0, 0, 42);
        try (KafkaResultPublisher publisher = KafkaResultPublisher.start(pc, new SimpleMeterRegistry(), Clock.systemUTC());
             DashboardService dashboard = DashboardService.start(cc, DashboardConfig.defaults().withHttp("127.0.0.1", 0));
             ChromiumPage page = ChromiumPage.launch(1480, 1130)) {
            page.navigate(dashboard.url());
            page.waitFor("xanesState.ws === 'open' && xanesState.colormap", Duration.ofSeconds(30), "the page to connect", DIAG);

            // First half of the scan: live maps up to version 20.
            scan.play(publisher, 0, 20, System.currentTimeMillis());
            assertTrue(publisher.awaitIdle(Duration.ofSeconds(30)), "publisher idle");
            page.waitFor("xanesState.map && xanesState.map.name === 'whiteline_ev' && xanesState.map.version === 20 "
                            + "&& xanesState.map.hasMask", Duration.ofSeconds(60), "live map version 20", DIAG);
            page.waitFor("xanesState.source && xanesState.source.connected === true", Duration.ofSeconds(30),
                    "Kafka connected", DIAG);
            checkMapStructure(page, scan, 20);
            JsonNode hist1 = page.eval("xanesState.histogram");
            assertEquals(20, hist1.get("version").asInt());
            long area = particleArea(scan);
            assertEquals(area, hist1.get("n").asLong(), "histogram counts exactly the pixels inside the mask");
            long histCount1 = page.eval("xanesState.counters.hist").asLong();

            // Second half: the histogram follows the new energies; the final maps arrive.
            scan.play(publisher, 20, 40, System.currentTimeMillis());
            assertTrue(publisher.awaitIdle(Duration.ofSeconds(30)), "publisher idle");
            page.waitFor("xanesState.map.final === true && xanesState.scan && xanesState.scan.status === 'end'",
                    Duration.ofSeconds(60), "the final map", DIAG);
            checkMapStructure(page, scan, 40);
            JsonNode hist2 = page.eval("xanesState.histogram");
            assertEquals(40, hist2.get("version").asInt());
            assertTrue(page.eval("xanesState.counters.hist").asLong() > histCount1, "histogram updated");
            double mean = hist2.get("mean").asDouble();
            assertTrue(mean > SyntheticScan.WHITELINE_A_EV && mean < SyntheticScan.WHITELINE_B_EV, "mean " + mean);
            // The whiteline of two particles 2 eV apart: the spread is about 1 eV, far above the fit noise.
            assertEquals(1.0, hist2.get("std").asDouble(), 0.3);
            JsonNode row = page.eval("xanesState.scans.find(s => s.id === 'operando-001')");
            assertEquals(40, row.get("energiesDone").asInt());
            assertEquals(40, row.get("energiesPlanned").asInt());

            // Click a pixel of particle B: its spectrum peaks at B's whiteline, with the fit overlaid.
            JsonNode p = page.eval("xanesView.pagePointOfFull(" + scan.centerBX() + "," + scan.centerBY() + ")");
            page.click(p.get("x").asDouble(), p.get("y").asDouble());
            page.waitFor("xanesState.spectrum && xanesState.spectrum.energyEv.length === 40", Duration.ofSeconds(30),
                    "the clicked pixel's spectrum", DIAG);
            JsonNode sp = page.eval("xanesState.spectrum");
            assertEquals(scan.centerBX(), sp.get("x0").asInt());
            assertEquals(scan.centerBY(), sp.get("y0").asInt());
            assertTrue(sp.get("fit").get("quadratic").asBoolean());
            assertEquals(SyntheticScan.WHITELINE_B_EV, sp.get("fit").get("whitelineEv").asDouble(), 0.6);
            assertEquals(SyntheticScan.WHITELINE_B_EV, sp.get("maps").get("whiteline_ev").asDouble(), 1.0);
            assertTrue(page.eval("document.getElementById('pixel-info').textContent").asText().contains("pixel ("));

            byte[] png = page.screenshot();
            Path out = Path.of("target", "dashboard-browser-test.png");
            Files.createDirectories(out.getParent());
            Files.write(out, png);
            assertTrue(png.length > 10_000);
            assertTrue(page.consoleErrors().isEmpty(), "JavaScript errors: " + page.consoleErrors());
        }
    }

    /** The drawn map has particle A and B at their whiteline energies, trusted, and an untrusted background. */
    private static void checkMapStructure(ChromiumPage page, SyntheticScan scan, int version) throws Exception {
        double tol = 4 * 1.5 / Math.sqrt(version);
        int[][] offsets = {{0, 0}, {3, 0}, {-3, 0}, {0, 3}, {0, -3}};
        for (int[] o : offsets) {
            JsonNode a = page.eval(String.format(Locale.ROOT, "xanesView.valueAtFull(%d,%d)", scan.centerAX() + o[0], scan.centerAY() + o[1]));
            JsonNode b = page.eval(String.format(Locale.ROOT, "xanesView.valueAtFull(%d,%d)", scan.centerBX() + o[0], scan.centerBY() + o[1]));
            assertTrue(a.get("trusted").asBoolean() && b.get("trusted").asBoolean(), "particles are inside the mask");
            assertEquals(SyntheticScan.WHITELINE_A_EV, a.get("value").asDouble(), tol, "particle A");
            assertEquals(SyntheticScan.WHITELINE_B_EV, b.get("value").asDouble(), tol, "particle B");
        }
        for (int[] bg : new int[][]{{3, 3}, {scan.width - 3, 3}, {3, scan.height - 3}}) {
            JsonNode v = page.eval("xanesView.valueAtFull(" + bg[0] + "," + bg[1] + ")");
            assertFalse(v.get("trusted").asBoolean(), "background is outside the mask");
        }
        // The canvas shows the colormap colour of the value (mask applied: background drawn grey).
        JsonNode drawn = page.eval("xanesView.rgbAtFull(" + scan.centerBX() + "," + scan.centerBY() + ")");
        JsonNode expected = page.eval("xanesView.expectedRgb(xanesView.valueAtFull(" + scan.centerBX() + ","
                + scan.centerBY() + ").value)");
        for (int c = 0; c < 3; c++) {
            assertEquals(expected.get(c).asInt(), drawn.get(c).asInt(), 1, "canvas colour channel " + c);
        }
        assertEquals("[150,150,150]", page.eval("xanesView.rgbAtFull(3,3)").toString());
        // Particle B (oxidized) is drawn lighter than particle A in the lightness-ordered colormap.
        JsonNode ca = page.eval("xanesView.rgbAtFull(" + scan.centerAX() + "," + scan.centerAY() + ")");
        assertTrue(lum(drawn) > lum(ca), "B lighter than A: " + drawn + " vs " + ca);
    }

    private static double lum(JsonNode rgb) {
        return 0.2126 * rgb.get(0).asInt() + 0.7152 * rgb.get(1).asInt() + 0.0722 * rgb.get(2).asInt();
    }

    private static long particleArea(SyntheticScan scan) {
        long n = 0;
        for (int y = 0; y < scan.height; y++) {
            for (int x = 1; x < scan.width; x++) {
                n += scan.particleAt(x, y) != 0 ? 1 : 0;
            }
        }
        return n;
    }
}
