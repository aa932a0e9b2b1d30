package org.xanestream.deploy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void topLevelHelpListsTheCommandsAndExitsZero() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("Usage: xanestream"), r.toString());
        for (var e : Main.commandLine().getSubcommands().entrySet()) {
            if (e.getValue().getCommandSpec().usageMessage().hidden()) {
                continue; // bench, bench-sender
            }
            assertTrue(r.out.contains("  " + e.getKey() + " "), "help lists " + e.getKey() + "\n" + r);
        }
        assertTrue(r.out.contains("run") && r.out.contains("demo"), r.toString());
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 4, "root + run + demo + config at least, got " + paths);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli r = Cli.run(args.toArray(new String[0]));
            assertEquals(0, r.status, args + "\n" + r);
            String usage = "Usage: xanestream" + (path.isEmpty() ? "" : " " + String.join(" ", path));
            assertTrue(r.out.contains(usage), args + " prints '" + usage + "'\n" + r);
            assertTrue(r.out.contains("--verbose"), args + " offers --verbose\n" + r);
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (var e : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void runHelpShowsConfigKeysGroupedWithDefaults() {
        Cli r = Cli.run("run", "--help");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("--zmq.endpoint=TEXT"), r.out);
        String flat = r.out.replaceAll("\\s+", " ");
        assertTrue(flat.contains("Default: tcp://127.0.0.1:5555"), r.out);
        assertTrue(r.out.contains("--reference=NAME=FILE"), r.out);
        assertTrue(r.out.contains("Kafka output:"), r.out);
        assertTrue(r.out.contains("--config=FILE"), r.out);
        assertFalse(r.out.contains("--demo.scans"), "run has no demo keys\n" + r.out);
    }

    @Test
    void demoHelpShowsItsOwnDefaults() {
        Cli r = Cli.run("demo", "--help");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("--demo.scans"), r.out);
        assertTrue(r.out.replaceAll("\\s+", " ").contains("Default: embedded"), r.out);
        assertFalse(r.out.contains("--zmq.endpoint"), "demo feeds itself\n" + r.out);
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.trim().matches("xanestream \\d+\\.\\d+\\.\\d+\\S*"), r.toString());
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        Cli r = Cli.run();
        assertEquals(Main.EXIT_USAGE, r.status, r.toString());
        assertTrue(r.err.contains("missing command"), r.toString());
        assertTrue(r.err.contains("Commands:"), r.toString());
    }

    @Test
    void unknownOptionExitsTwoAndSuggestsTheRightOne() {
        Cli r = Cli.run("run", "--zmq.endpiont", "tcp://h:1");
        assertEquals(Main.EXIT_USAGE, r.status, r.toString());
        assertTrue(r.err.contains("--zmq.endpiont"), r.toString());
        assertTrue(r.err.contains("--zmq.endpoint"), "suggestion\n" + r);
    }

    @Test
    void unknownCommandExitsTwo() {
        Cli r = Cli.run("runn");
        assertEquals(Main.EXIT_USAGE, r.status, r.toString());
        assertTrue(r.err.contains("runn"), r.toString());
    }

    @Test
    void badOptionValueExitsTwoNamingTheKeyAndWhy() {
        Cli r = Cli.run("run", "--zmq.rcvhwm", "0", "--print-config");
        assertEquals(Main.EXIT_USAGE, r.status, r.toString());
        assertTrue(r.err.contains("zmq.rcvhwm"), r.toString());
        assertTrue(r.err.contains("between 1 and 100000"), r.toString());
        assertTrue(r.err.contains("--zmq.rcvhwm"), "names the origin\n" + r);
        assertFalse(r.err.contains("\tat "), "no stack trace\n" + r);
    }

    @Test
    void printConfigShowsEffectiveValuesAndOrigins() {
        Cli r = Cli.run("run", "--http.port", "0", "--print-config");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("http.port: 0   # --http.port"), r.out);
        assertTrue(r.out.contains("zmq.mode: connect   # default"), r.out);
    }

    @Test
    void fileAndRepeatedOptionsCombineWithTheCommandLineWinning(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path a = java.nio.file.Files.writeString(dir.resolve("a.txt"), "8.3 0\n8.4 1\n");
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("b.yaml"),
                "http:\n  port: 9100\n  host: 0.0.0.0\nelement: Fe\n");
        Cli r = Cli.run("run", "--config", f.toString(), "--http.port=9200", "--reference", "A=" + a,
                "--reference", "B=" + a, "--print-config");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("http.port: 9200   # --http.port"), r.out);
        assertTrue(r.out.contains("http.host: 0.0.0.0   # " + f), r.out);
        assertTrue(r.out.contains("element: Fe   # " + f), r.out);
        assertTrue(r.out.contains("reference: [A=" + a + ", B=" + a + "]   # --reference"), r.out);
        Cli builtin = Cli.run("run", "--reference", "builtin:NiO", "--print-config");
        assertTrue(builtin.out.contains("reference: [builtin:NiO]   # --reference"), builtin.toString());
    }

    @Test
    void badValueInTheFileExitsTwoNamingKeyAndFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = java.nio.file.Files.writeString(dir.resolve("b.yaml"), "ingest:\n  queue-full: drop-newest\n");
        Cli r = Cli.run("run", "--config", f.toString());
        assertEquals(Main.EXIT_USAGE, r.status, r.toString());
        assertTrue(r.err.contains("configuration error: invalid ingest.queue-full (from " + f + "): 'drop-newest' is not one of block, drop-oldest"),
                r.toString());
    }

    @Test
    void configCommandValidatesAndPrintsTheReference() {
        Cli ok = Cli.run("config", "--demo.scans", "2");
        assertEquals(0, ok.status, ok.toString());
        assertTrue(ok.out.contains("demo.scans: 2   # --demo.scans"), ok.out);
        Cli md = Cli.run("config", "--markdown");
        assertEquals(0, md.status, md.toString());
        assertEquals(org.xanestream.deploy.config.ConfigReference.markdown(), md.out);
    }

    @Command(name = "explode", description = "test command that fails at run time")
    static final class Explode implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("port 8090 is already in use", new java.net.BindException("Address already in use"));
        }
    }

    @Test
    void runtimeFailureExitsOneWithMessageAndNoStackTrace() {
        Cli r = Cli.run(List.of(new Explode()), "explode");
        assertEquals(Main.EXIT_FAILURE, r.status, r.toString());
        assertTrue(r.err.contains("xanestream explode: error: port 8090 is already in use: Address already in use"), r.toString());
        assertFalse(r.err.contains("\tat "), r.toString());
        assertTrue(r.err.contains("--verbose"), r.toString());
    }

    @Test
    void verbosePrintsTheStackTrace() {
        Cli r = Cli.run(List.of(new Explode()), "explode", "--verbose");
        assertEquals(Main.EXIT_FAILURE, r.status, r.toString());
        assertTrue(r.err.contains("\tat "), r.toString());
        assertTrue(r.err.contains("IllegalStateException"), r.toString());
    }

    @Test
    void addedCommandsGetHelpAndVerbose() {
        Cli r = Cli.run(List.of(new Explode()), "explode", "--help");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("Usage: xanestream explode"), r.toString());
        assertTrue(r.out.contains("--verbose"), r.toString());
    }
}
