package org.xanestream.deploy.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.deploy.Main;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.adzmq.AdZmqDecoder;
import org.xanestream.ingest.dectris.DectrisConfig;
import org.xanestream.ingest.dectris.DectrisStreamDecoder;
import org.xanestream.ingest.zmq.ZmqFrameReceiver;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.ingest.zmq.ZmqReceiverMode;
import org.xanestream.simulators.hdf5.FxiFileWriter;
import org.xanestream.simulators.hdf5.RecordedScan;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code xanestream replay} and {@code simulate --fxi-out} through the real command line and real sockets. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    /** A small FXI scan: 12×8 pixels, n energies, transmission values the test can recompute. */
    static FxiFileWriter.FxiScan fxi(String scanId, int n) {
        int w = 12;
        int h = 8;
        List<float[]> t = new ArrayList<>();
        List<float[]> f = new ArrayList<>();
        double[] e = new double[n];
        for (int k = 0; k < n; k++) {
            e[k] = 8330 + 2 * k;
            float[] ti = new float[w * h];
            float[] fi = new float[w * h];
            for (int i = 0; i < w * h; i++) {
                ti[i] = 0.4f + 0.004f * i + 0.01f * k;
                fi[i] = 15000 + 7 * i + 11 * k;
            }
            t.add(ti);
            f.add(fi);
        }
        float[] dark = new float[w * h];
        Arrays.fill(dark, 90f);
        return new FxiFileWriter.FxiScan(scanId, e, w, h, t, f, dark, "test", 162.5, 40);
    }

    private Path writeFxi(String name, String scanId, int n) throws Exception {
        Path p = dir.resolve(name);
        new FxiFileWriter(true).write(fxi(scanId, n), p);
        return p;
    }

    @Test
    void helpDocumentsEveryOption() {
        CliRun r = CliRun.of("replay", "--help");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Usage: xanestream replay"), r.out());
        CommandLine replay = Main.commandLine().getSubcommands().get("replay");
        assertNotNull(replay, "replay is registered");
        for (OptionSpec o : replay.getCommandSpec().options()) {
            assertTrue(r.out().contains(o.longestName()), "help lists " + o.longestName());
            assertFalse(String.join(" ", o.description()).isBlank(), o.longestName() + " has a description");
        }
        for (String name : List.of("--mode", "--dtype", "--rate", "--scan-id", "--endpoint", "--socket", "--protocol",
                "--encoding", "--give-up-s", "--output", "--progress-s", "--quiet", "FILE")) {
            assertTrue(r.out().contains(name), "help mentions " + name + "\n" + r.out());
        }
    }

    @Test
    void badFilesExitTwoNamingTheFileAndTheDataset() throws Exception {
        CliRun r = CliRun.of("replay", "--output", "none", dir.resolve("absent.h5").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("absent.h5: no such file"), r.err());

        Path junk = dir.resolve("junk.h5");
        Files.writeString(junk, "this is not HDF5");
        r = CliRun.of("replay", "--output", "none", junk.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("junk.h5: not a readable HDF5 file"), r.err());

        Path missing = dir.resolve("missing.h5");
        try (WritableHdfFile f = HdfFile.write(missing)) {
            f.putDataset("img_xanes", new float[2][3][4]);
            f.putDataset("img_dark", new float[1][3][4]);
            f.putDataset("X_eng", new double[] {8.33, 8.34});
        }
        r = CliRun.of("replay", "--output", "none", missing.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("missing.h5: missing dataset /img_bkg"), r.err());

        Path shape = dir.resolve("shape.h5");
        try (WritableHdfFile f = HdfFile.write(shape)) {
            f.putDataset("img_xanes", new float[2][3][4]);
            f.putDataset("img_bkg", new float[2][4][4]);
            f.putDataset("img_dark", new float[1][3][4]);
            f.putDataset("X_eng", new double[] {8.33, 8.34});
        }
        r = CliRun.of("replay", "--output", "none", shape.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("/img_bkg shape [2, 4, 4] does not match /img_xanes [2, 3, 4]"), r.err());

        Path energies = dir.resolve("energies.h5");
        try (WritableHdfFile f = HdfFile.write(energies)) {
            var ex = f.putGroup("exchange");
            ex.putDataset("data", new float[2][3][4]);
            ex.putDataset("data_white", new float[1][3][4]);
            ex.putDataset("data_dark", new float[1][3][4]);
            ex.putDataset("energy", new double[] {8.33, Double.POSITIVE_INFINITY});
        }
        Path good = writeFxi("good.h5", "g", 2);
        r = CliRun.of("replay", "--output", "none", good.toString(), energies.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("/exchange/energy[1] = Infinity is not a finite positive energy"), r.err());
        assertFalse(r.out().contains("replayed"), "nothing is sent when any file is bad: " + r.out());
    }

    @Test
    void badOptionsExitTwoNamingTheProblem() throws Exception {
        Path good = writeFxi("good.h5", "g", 2);
        String f = good.toString();
        String[][] cases = {
                {"--mode", "cooked", f}, {"--dtype", "int8", f}, {"--rate", "0", f}, {"--rate", "fast", f},
                {"--mode", "transmission", "--dtype", "uint16", f}, {"--scan-id", "x", f, f}, {"--protocol", "hdf5", f},
                {"--socket", "dealer", f}, {"--encoding", "zip", f}, {"--give-up-s", "-1", f}, {"--output", "disk", f},
        };
        String[] expected = {"cooked", "int8", "--rate", "fast", "uint16", "exactly one FILE", "hdf5", "dealer", "zip",
                "-1.0", "disk"};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("replay", "--quiet"));
            args.addAll(List.of(cases[i]));
            CliRun r = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, r.status(), args + "\n" + r);
            assertTrue(r.err().contains(expected[i]), args + " names " + expected[i] + "\n" + r.err());
        }

        Path dx = dir.resolve("dx.h5");
        try (WritableHdfFile w = HdfFile.write(dx)) {
            var ex = w.putGroup("exchange");
            ex.putDataset("data", new float[2][3][4]);
            ex.putDataset("data_white", new float[1][3][4]);
            ex.putDataset("data_dark", new float[1][3][4]);
            ex.putDataset("energy", new double[] {8.33, 8.34});
        }
        CliRun r = CliRun.of("replay", "--quiet", "--mode", "transmission", "--output", "none", dx.toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("use --mode raw"), r.err());
    }

    @Test
    void outputNoneReadsEveryFileAndReportsTheCounts() throws Exception {
        Path a = writeFxi("a.h5", "scan-a", 3);
        Path b = writeFxi("b.h5", "scan-b", 4);
        CliRun r = CliRun.of("replay", "--quiet", "--output", "none", a.toString(), b.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("(scan scan-a): 7 frames"), r.out());
        assertTrue(r.out().contains("(scan scan-b): 9 frames"), r.out());
        assertTrue(r.out().contains("replayed 2 files: 16 of 16 frames"), r.out());
    }

    /** Starts a binding receiver, runs the command against it, and returns the frames of one scan (copied). */
    private static List<float[]> receive(String protocol, List<Frame> headersOut, String... replayArgs) throws Exception {
        BoundedEventQueue queue = new BoundedEventQueue(new EventQueueConfig(256, QueueFullPolicy.BLOCK));
        List<Rejection> rejections = new CopyOnWriteArrayList<>();
        ZmqReceiverConfig rc = new ZmqReceiverConfig("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND, 16, 20, 8,
                16L << 20, 1, ZmqReceiverConfig.defaults().handshakeIvlMs());
        FramePool pool = new FramePool(32L << 20);
        List<float[]> pixels = new ArrayList<>();
        try (ZmqFrameReceiver receiver = new ZmqFrameReceiver(rc, endpoint -> protocol.equals("dectris1")
                ? new DectrisStreamDecoder(endpoint, DectrisConfig.defaults(), pool)
                : new AdZmqDecoder(endpoint, AdZmqConfig.defaults(), pool), queue, rejections::add,
                java.time.Clock.systemUTC())) {
            receiver.start();
            List<String> args = new ArrayList<>(List.of("replay", "--quiet", "--socket", "push-connect", "--endpoint",
                    receiver.endpoint(), "--protocol", protocol, "--give-up-s", "30"));
            args.addAll(List.of(replayArgs));
            CliRun r = CliRun.of(args.toArray(new String[0]));
            assertEquals(0, r.status(), r.toString());
            while (true) {
                IngestEvent e = queue.poll(20, TimeUnit.SECONDS);
                assertNotNull(e, "events stopped after " + pixels.size() + " frames; rejections " + rejections);
                if (e instanceof EndOfScan) {
                    break;
                }
                Frame f = assertInstanceOf(Frame.class, e);
                float[] px = new float[(int) f.header().pixelCount()];
                for (int i = 0; i < px.length; i++) {
                    px[i] = f.pixelAsFloat(i);
                }
                Frame copy = Frame.unpooled(f.header());
                headersOut.add(copy);
                pixels.add(px);
                f.release();
            }
            assertTrue(rejections.isEmpty(), rejections.toString());
        }
        return pixels;
    }

    @Test
    void rawReplayOverAdzmqRebuildsDetectorFramesThatNormalizeToTheFile() throws Exception {
        var scan = fxi("fxi-7", 3);
        Path p = dir.resolve("raw.h5");
        new FxiFileWriter(true).write(scan, p);
        List<Frame> frames = new ArrayList<>();
        List<float[]> px = receive("adzmq", frames, "--scan-id", "renamed", "--energy-kev", "--kind-as-number",
                p.toString());
        assertEquals(1 + 2 * 3, px.size());
        assertEquals(FrameKind.DARK, frames.get(0).header().kind());
        for (int k = 0; k < 3; k++) {
            Frame s = frames.get(1 + 2 * k);
            assertEquals(FrameKind.SAMPLE, s.header().kind());
            assertEquals(FrameKind.FLAT, frames.get(2 + 2 * k).header().kind());
            assertEquals("renamed", s.header().scanId());
            assertEquals(PixelType.FLOAT32, s.header().pixelType());
            assertEquals(scan.energiesEv()[k], s.header().energyEv(), 1e-6);
            float[] sp = px.get(1 + 2 * k);
            float[] fp = px.get(2 + 2 * k);
            float[] dp = px.get(0);
            for (int i = 0; i < sp.length; i++) {
                assertEquals(scan.transmission().get(k)[i], (sp[i] - dp[i]) / (fp[i] - dp[i]), 1e-5f);
            }
        }
    }

    @Test
    void transmissionReplayOverDectrisSendsThePreNormalizedImages() throws Exception {
        var scan = fxi("fxi-8", 4);
        Path p = dir.resolve("t.h5");
        new FxiFileWriter(false).write(scan, p);
        List<Frame> frames = new ArrayList<>();
        List<float[]> px = receive("dectris1", frames, "--mode", "transmission", "--rate", "200", p.toString());
        assertEquals(4, px.size());
        for (int k = 0; k < 4; k++) {
            assertEquals(FrameKind.TRANSMISSION, frames.get(k).header().kind());
            assertEquals("fxi-8", frames.get(k).header().scanId());
            assertTrue(Arrays.equals(scan.transmission().get(k), px.get(k)), "energy " + k + " bit-exact");
        }
    }

    @Test
    void simulateWritesFxiFilesThatReplayReads() throws Exception {
        String template = dir.resolve("{scan}.h5").toString();
        CliRun r = CliRun.of("simulate", "--quiet", "--output", "none", "--size", "32x24", "--pixel-size-um", "0.5",
                "--energies", "-50,0,3,60,120", "--chunk-size", "2", "--scans", "2", "--fxi-out", template);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("wrote " + dir.resolve("sim-001.h5")), r.out());
        try (RecordedScan s = RecordedScan.open(dir.resolve("sim-002.h5"))) {
            assertEquals("sim-002", s.scanId());
            assertEquals(32, s.width());
            assertEquals(5, s.energyCount());
            assertEquals("500nm", s.text("/Pixel Size"));
        }
        r = CliRun.of("replay", "--quiet", "--output", "none", "--dtype", "uint16", dir.resolve("sim-001.h5").toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("(scan sim-001): 11 frames"), r.out());

        r = CliRun.of("simulate", "--quiet", "--output", "none", "--size", "32x24", "--scans", "2", "--fxi-out",
                dir.resolve("one.h5").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("{scan}"), r.err());
    }
}
