package org.xanestream.deploy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.xanestream.ingest.PixelType;
import org.xanestream.simulators.hdf5.Hdf5ScanException;
import org.xanestream.simulators.hdf5.RecordedScan;
import org.xanestream.simulators.hdf5.ScanReplayer;
import org.xanestream.simulators.sink.CountingFrameSink;
import org.xanestream.simulators.sink.FrameSink;
import org.xanestream.simulators.sink.ZmqFrameSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code xanestream replay FILE...}: streams recorded 2D XANES scans (NSLS-II FXI or APS DXchange HDF5
 * files) over ZeroMQ as a detector would. A thin wrapper over the simulators module's
 * {@link ScanReplayer} and the ZMQ sink that {@code simulate} uses.
 */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Stream recorded 2D XANES scans over ZeroMQ, one scan per FILE, in order: NSLS-II FXI files "
                + "(/img_xanes transmission, /img_bkg, /img_dark, /X_eng) or APS 32-ID DXchange files "
                + "(/exchange/data, data_white, data_dark, energy); see docs/result-files.md.",
                "Mode raw (default) sends what the detector sent: the darks, then per energy a sample frame and its flat; "
                        + "FXI samples are rebuilt as I = T*(F-D)+D so the processor's whole dark/flat path runs. "
                        + "Mode transmission sends the FXI images as pre-normalized float32 frames, one per energy.",
                "Every file is checked before anything is sent. Progress goes to stderr, a summary to stdout. "
                        + "Exit status 0 when every frame was sent, 2 for a bad file or option, 1 if sending failed."})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "HDF5 scan files (FXI or DXchange), replayed one after the other, each as one scan.")
    List<Path> files;

    @Mixin
    ZmqOutputOptions zmq;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "raw",
            description = "raw (dark, then sample and flat per energy) or transmission (pre-normalized float32 frames; "
                    + "FXI files only). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32",
            description = "Pixel type of raw frames: float32 (lossless) or uint16 (rounded and clamped to 0..65535 "
                    + "like a detector; NaN becomes 0). Transmission frames are always float32. Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Option(names = "--rate", paramLabel = "FPS", defaultValue = "max",
            description = "Frames sent per second, or max = as fast as the receiver takes them (FXI acquires at <= 20). "
                    + "Default: ${DEFAULT-VALUE}.")
    String rate;

    @Option(names = "--scan-id", paramLabel = "ID",
            description = "Send this scan id instead of the file's (/scan_id, else the file name); one FILE only.")
    String scanId;

    @Option(names = "--output", paramLabel = "KIND", defaultValue = "zmq",
            description = "zmq sends the frames; none reads and converts them without sending (checks a file, or "
                    + "measures reading speed). Default: ${DEFAULT-VALUE}.")
    String output;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        ScanReplayer.Settings settings = settings();
        zmq.validate(cl);
        boolean send = ZmqOutputOptions.sends(cl, output);
        if (scanId != null && files.size() > 1) {
            throw new CommandLine.ParameterException(cl, "--scan-id needs exactly one FILE, got " + files.size()
                    + " (without it each file keeps its own scan id)");
        }
        PrintStream log = progress.log();
        List<RecordedScan> scans = new ArrayList<>();
        try {
            long totalFrames = 0;
            for (Path f : files) {
                RecordedScan scan = open(cl, f);
                scans.add(scan);
                if (settings.mode() == ScanReplayer.Mode.TRANSMISSION && !scan.preNormalized()) {
                    throw new CommandLine.ParameterException(cl, f + ": holds raw " + scan.layout()
                            + " images; --mode transmission needs a pre-normalized FXI file (use --mode raw)");
                }
                long frames = ScanReplayer.frameCount(scan, settings.mode());
                totalFrames += frames;
                if (log != null) {
                    double[] e = scan.energiesEv();
                    log.printf(Locale.ROOT, "replay: %s: %s %dx%d, %d energies %.1f..%.1f eV, scan id %s, %d frames%n",
                            f, scan.layout(), scan.width(), scan.height(), e.length, min(e), max(e),
                            scanId != null ? scanId : scan.scanId(), frames);
                }
            }
            try (FrameSink sink = send ? zmq.open(cl, log) : new CountingFrameSink()) {
                if (log != null && sink instanceof ZmqFrameSink z) {
                    log.println("replay: sending " + zmq.describe(z) + ", " + settings.mode().name().toLowerCase(Locale.ROOT)
                            + " " + settings.pixelType().wireName() + " frames");
                }
                ScanReplayer replayer = new ScanReplayer(sink, settings, log);
                long frames = 0;
                long bytes = 0;
                double seconds = 0;
                for (RecordedScan scan : scans) {
                    ScanReplayer.Result r = replayer.replay(scan);
                    frames += r.frames();
                    bytes += r.bytes();
                    seconds += r.seconds();
                    cl.getOut().printf(Locale.ROOT, "replayed %s (scan %s): %d frames in %.1f s (%.1f frames/s, %.0f MB/s)%n",
                            scan.path(), r.scanId(), r.frames(), r.seconds(), r.framesPerSecond(),
                            r.bytes() / 1e6 / Math.max(r.seconds(), 1e-9));
                    cl.getOut().flush();
                }
                if (scans.size() > 1) {
                    cl.getOut().printf(Locale.ROOT, "replayed %d files: %d of %d frames in %.1f s (%.1f frames/s, %.0f MB/s)%n",
                            scans.size(), frames, totalFrames, seconds, frames / Math.max(seconds, 1e-9),
                            bytes / 1e6 / Math.max(seconds, 1e-9));
                    cl.getOut().flush();
                }
            }
        } finally {
            for (RecordedScan s : scans) {
                s.close();
            }
        }
        return 0;
    }

    /** The replay settings the options describe; bad values are usage errors (exit status 2). */
    ScanReplayer.Settings settings() {
        CommandLine cl = spec.commandLine();
        return ZmqOutputOptions.usage(cl, () -> {
            ScanReplayer.Mode m = ScanReplayer.Mode.parse(mode);
            PixelType type;
            switch (dtype == null ? "" : dtype.trim().toLowerCase(Locale.ROOT)) {
                case "float32": type = PixelType.FLOAT32; break;
                case "uint16": type = PixelType.UINT16; break;
                default: throw new IllegalArgumentException("--dtype must be float32 or uint16, got '" + dtype + "'");
            }
            if (m == ScanReplayer.Mode.TRANSMISSION && type != PixelType.FLOAT32) {
                throw new IllegalArgumentException("--mode transmission sends float32 frames; --dtype uint16 needs --mode raw");
            }
            double fps;
            if ("max".equalsIgnoreCase(rate.trim())) {
                fps = 0;
            } else {
                try {
                    fps = Double.parseDouble(rate.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--rate must be frames per second (> 0) or max, got '" + rate + "'");
                }
                if (!(fps > 0)) {
                    throw new IllegalArgumentException("--rate must be frames per second (> 0) or max, got '" + rate + "'");
                }
            }
            double progressS = progress.progressS;
            if (!(progressS > 0)) {
                throw new IllegalArgumentException("--progress-s must be > 0, got " + progressS);
            }
            return new ScanReplayer.Settings(m, type, fps, scanId, progressS);
        });
    }

    private static RecordedScan open(CommandLine cl, Path f) {
        try {
            return RecordedScan.open(f);
        } catch (Hdf5ScanException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage(), e);
        }
    }

    private static double min(double[] v) {
        double m = v[0];
        for (double x : v) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static double max(double[] v) {
        double m = v[0];
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
