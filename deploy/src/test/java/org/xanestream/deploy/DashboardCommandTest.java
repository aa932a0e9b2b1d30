package org.xanestream.deploy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardCommandTest {

    @Test
    void isRegisteredWithItsOptions() {
        CommandLine sub = Main.commandLine().getSubcommands().get("dashboard");
        assertTrue(sub != null, "dashboard subcommand registered");
        for (String o : new String[]{"--kafka", "--topic-prefix", "--http-host", "--http-port"}) {
            assertTrue(sub.getCommandSpec().findOption(o) != null, o);
        }
    }

    @Test
    void servesThePageAndReportsAnUnreachableBrokerAsDisconnected() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        DashboardCommand cmd = new DashboardCommand();
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("--kafka", "127.0.0.1:" + deadPort,
                "--topic-prefix", "nothing", "--http-port", "0"));
        Pattern url = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Matcher m = url.matcher("");
        while (System.nanoTime() < deadline && !(m = url.matcher(out.toString())).find()) {
            Thread.sleep(20);
        }
        assertTrue(m.find(0), "printed the URL: " + out);
        HttpClient http = HttpClient.newHttpClient();
        String base = m.group(1);
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        String overview = "";
        while (System.nanoTime() < deadline && !overview.contains("\"connected\":false")) {
            overview = http.send(HttpRequest.newBuilder(URI.create(base + "api/scans")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Thread.sleep(100);
        }
        assertTrue(overview.contains("\"connected\":false"), overview);
        cmd.requestStop();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
    }
}
