package org.xanestream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.adzmq.AdZmqDecoder;
import org.xanestream.ingest.zmq.ZmqFrameReceiver;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.ingest.zmq.ZmqReceiverMode;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.truth.GroundTruth;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class SimulateCommandTest {
    @TempDir
    Path tmp;

    private static final class Result {
        int status;
        String out;
        String err;
    }

    private static Result run(String... args) {
        CommandLine cl = new CommandLine(new SimulateCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Result r = new Result();
        r.status = cl.execute(args);
        r.out = out.toString();
        r.err = err.toString();
        return r;
    }

    @Test
    void helpDocumentsEveryOption() {
        Result r = run("--help");
        assertEquals(0, r.status);
        assertTrue(r.out.contains("Usage: simulate"), r.out);
        CommandLine cl = new CommandLine(new SimulateCommand());
        for (OptionSpec o : cl.getCommandSpec().options()) {
            assertTrue(r.out.contains(o.longestName()), "help lists " + o.longestName());
            String d = String.join(" ", o.description());
            assertFalse(d.isBlank(), o.longestName() + " has a description");
        }
        assertTrue(r.out.contains("Default: tcp://127.0.0.1:5555"), r.out);
    }

    @Test
    void defaultsDescribeACompleteNiScan() {
        SimulateCommand c = new SimulateCommand();
        new CommandLine(c).parseArgs();
        SimulatorConfig cfg = c.config();
        assertEquals(SimulatorConfig.defaults(), cfg);
        assertEquals(60, cfg.energiesEv().length);
    }

    @Test
    void badValuesAreUsageErrorsNamingTheProblem() {
        Result r = run("--size", "12x12", "--output", "none");
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("16..4096"), r.err);
        r = run("--protocol", "hdf5", "--output", "none");
        assertEquals(2, r.status, r.err);
        assertTrue(r.err.contains("adzmq"), r.err);
        r = run("--energies", "8350,8340", "--absolute-energies", "--output", "none");
        assertEquals(2, r.status, r.err);
    }

    @Test
    void generatesWithoutSendingAndWritesTheTruth() throws Exception {
        Path truth = tmp.resolve("truth");
        Result r = run("--output", "none", "--size", "32x24", "--pixel-size-um", "0.5", "--energies", "-50,0,3,60,120",
                "--chunk-size", "2", "--scans", "2", "--truth", truth.toString(), "--quiet");
        assertEquals(0, r.status, r.err);
        assertTrue(r.out.contains("sent 44 frames of 2 scan(s)"), r.out);
        GroundTruth t = GroundTruth.read(truth);
        assertEquals(32, t.width());
        assertEquals(2, t.scans().size());
        assertEquals(5, t.scan(1).energiesEv().length);
    }

    @Test
    void streamsAScanIntoAReceiver() throws Exception {
        BoundedEventQueue queue = new BoundedEventQueue(new EventQueueConfig(256, QueueFullPolicy.BLOCK));
        List<Rejection> rejections = new CopyOnWriteArrayList<>();
        ZmqReceiverConfig rc = new ZmqReceiverConfig("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND, 16, 20, 8,
                16L << 20, 1, ZmqReceiverConfig.defaults().handshakeIvlMs());
        try (ZmqFrameReceiver receiver = new ZmqFrameReceiver(rc,
                new AdZmqDecoder("sim", AdZmqConfig.defaults(), new FramePool(32L << 20)), queue, rejections::add)) {
            receiver.start();
            Result r = run("--socket", "push-connect", "--endpoint", receiver.endpoint(), "--size", "48x32",
                    "--pixel-size-um", "0.4", "--energies", "-50,0,3,60,120", "--chunk-size", "3", "--quiet",
                    "--energy-kev", "--kind-as-number");
            assertEquals(0, r.status, r.err);
            int frames = 0;
            int darks = 0;
            IngestEvent e;
            while (true) {
                e = queue.poll(20, TimeUnit.SECONDS);
                assertNotNull(e, "events stopped after " + frames + " frames; rejections " + rejections);
                if (e instanceof EndOfScan) {
                    break;
                }
                Frame f = assertInstanceOf(Frame.class, e);
                darks += f.header().kind() == FrameKind.DARK ? 1 : 0;
                assertEquals(48, f.header().width());
                assertEquals("sim-001", f.header().scanId());
                f.release();
                frames++;
            }
            assertEquals(3 * (1 + 2 * 5), frames);
            assertEquals(3, darks);
            assertTrue(rejections.isEmpty(), rejections.toString());
        }
    }
}
