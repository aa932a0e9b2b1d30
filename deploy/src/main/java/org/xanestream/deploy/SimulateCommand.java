package org.xanestream.deploy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.StreamStats;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.detector.DetectorConfig;
import org.xanestream.simulators.detector.DriftConfig;
import org.xanestream.simulators.phantom.PhantomConfig;
import org.xanestream.simulators.hdf5.FxiFileSink;
import org.xanestream.simulators.sink.CountingFrameSink;
import org.xanestream.simulators.sink.FrameSink;
import org.xanestream.simulators.sink.TeeFrameSink;
import org.xanestream.simulators.sink.ZmqFrameSink;
import org.xanestream.simulators.truth.GroundTruth;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code xanestream simulate}: streams simulated TXM XANES detector frames over ZMQ, as a beamline
 * detector would. A thin wrapper: options map onto {@link SimulatorConfig} and a
 * {@link ZmqFrameSink}; the simulator lives in the {@code simulators} module.
 */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Stream simulated TXM XANES detector frames over ZeroMQ: a seeded phantom of cathode particles "
                + "(NiO/LiNiO2 by default) seen through a realistic detector (flat-field structure, dark offset, "
                + "Poisson noise, sample drift), in the FXI xanes_scan2 order: darks, then per energy samples and flats.",
                "With no options: one complete Ni scan of 1024x1024 frames (60 energies, 605 frames) from a PUSH "
                        + "socket bound at tcp://127.0.0.1:5555, as fast as the receiver takes them.",
                "Progress goes to stderr every few seconds. Exit status 0 when every frame was sent."})
public final class SimulateCommand implements Callable<Integer> {
    /** Replaced by the scan id in {@code --fxi-out}. */
    static final String SCAN_PLACEHOLDER = "{scan}";

    @Spec
    CommandSpec spec;

    // ------------------------------------------------------------------ output
    @Mixin
    ZmqOutputOptions zmq;

    @Option(names = "--output", paramLabel = "KIND", defaultValue = "zmq",
            description = "zmq sends the frames; none only generates them (a generation benchmark, or --truth / --fxi-out alone). "
                    + "Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--truth", paramLabel = "DIR",
            description = "Write the ground truth (truth.json + float32 maps: thickness, oxidized fraction, whiteline "
                    + "and edge energies, per-energy drift; see docs/simulator-truth.md) to DIR before streaming.")
    Path truthDir;

    @Option(names = "--fxi-out", paramLabel = "FILE",
            description = "Also write each scan as an NSLS-II FXI file (/img_xanes transmission of the mean sample, "
                    + "/img_bkg mean flat per energy, /img_dark mean dark, /X_eng keV; docs/result-files.md), e.g. for "
                    + "'xanestream replay' or the offline tools. {scan} in FILE is replaced by the scan id (required "
                    + "with --scans > 1). Holds the scan in memory until it ends: 8 bytes per pixel per energy.")
    String fxiOut;

    // ------------------------------------------------------------------ acquisition
    @Option(names = "--scans", paramLabel = "N", defaultValue = "1",
            description = "Scans in the series; more than 1 is an operando series in which the particles charge "
                    + "(oxidized fraction rises, unevenly). Default: ${DEFAULT-VALUE}.")
    int scans;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "5",
            description = "Darks per scan, and sample and flat frames per energy (FXI chunk_size). Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--frame-rate", paramLabel = "HZ", defaultValue = "0",
            description = "Frames sent per second; 0 = as fast as the receiver takes them (FXI runs at <= 20). "
                    + "Default: ${DEFAULT-VALUE}.")
    double frameRateHz;

    @Option(names = "--energies", paramLabel = "GRID",
            description = "Energy grid: comma-separated from:to:step regions or single energies, in eV relative to the "
                    + "edge (or absolute with --absolute-energies; values < 100 are keV). "
                    + "Default: -100:-30:10,-30:-10:5,-10:20:1,20:60:5,60:160:10 (60 energies, FXI-like).")
    String energies;

    @Option(names = "--absolute-energies", description = "Read --energies as absolute energies instead of edge offsets.")
    boolean absoluteEnergies;

    @Option(names = "--scan-id-prefix", paramLabel = "TEXT", defaultValue = "sim",
            description = "Scan ids are PREFIX-001, PREFIX-002, ... Default: ${DEFAULT-VALUE}.")
    String scanIdPrefix;

    // ------------------------------------------------------------------ sample and spectra
    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Master seed: the same options and seed give identical frames and truth. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "1024x1024",
            description = "Frame size in pixels, 16x16 .. 4096x4096 (detectors: 2048x2048, 3200x3200). "
                    + "Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--pixel-size-um", paramLabel = "UM", defaultValue = "0.04",
            description = "Pixel size at the sample in micrometres (the field of view is size x pixel size). "
                    + "Default: ${DEFAULT-VALUE}.")
    double pixelSizeUm;

    @Option(names = "--element", paramLabel = "SYMBOL", defaultValue = "Ni",
            description = "Element preset (edge energy and windows): Co, Cu, Fe, Mn, Ni, Zn. Default: ${DEFAULT-VALUE}.")
    String element;

    @Option(names = "--reduced-ref", paramLabel = "REF", defaultValue = "builtin:NiO",
            description = "Reference spectrum of the reduced state: builtin:NAME, a two-column or XDI file, or NAME=FILE. "
                    + "Default: ${DEFAULT-VALUE}.")
    String reducedRef;

    @Option(names = "--oxidized-ref", paramLabel = "REF", defaultValue = "builtin:LiNiO2",
            description = "Reference spectrum of the oxidized state, likewise. Default: ${DEFAULT-VALUE}.")
    String oxidizedRef;

    @Option(names = "--coverage", paramLabel = "X", defaultValue = "0.35",
            description = "Projected particle area over the field of view (before overlap). Default: ${DEFAULT-VALUE}.")
    double coverage;

    @Option(names = "--diameters-um", paramLabel = "MIN:MAX", defaultValue = "1:10",
            description = "Range of particle diameters in micrometres (log-uniform). Default: ${DEFAULT-VALUE}.")
    String diametersUm;

    @Option(names = "--edge-jump-per-um", paramLabel = "X", defaultValue = "0.15",
            description = "Edge jump in absorbance per micrometre of dense particle. Default: ${DEFAULT-VALUE}.")
    double edgeJumpPerUm;

    @Option(names = "--uniform-fraction", paramLabel = "F",
            description = "Give every particle pixel the same oxidized fraction F (0 = pure reduced, 1 = pure oxidized) "
                    + "instead of the heterogeneous, charging default.")
    Double uniformFraction;

    // ------------------------------------------------------------------ detector and drift
    @Option(names = "--counts", paramLabel = "N", defaultValue = "20000",
            description = "Open-beam photon counts per pixel per frame at the beam centre. Default: ${DEFAULT-VALUE}.")
    double counts;

    @Option(names = "--read-noise", paramLabel = "ADU", defaultValue = "2",
            description = "Detector read noise, ADU rms. Default: ${DEFAULT-VALUE}.")
    double readNoise;

    @Option(names = "--drift-step-px", paramLabel = "PX", defaultValue = "0.15",
            description = "Random-walk step of the sample drift per energy, pixels. Default: ${DEFAULT-VALUE}.")
    double driftStepPx;

    @Option(names = "--drift-bound-px", paramLabel = "PX", defaultValue = "2",
            description = "The random walk stays within +-this, pixels. Default: ${DEFAULT-VALUE}.")
    double driftBoundPx;

    @Option(names = "--drift-linear-px", paramLabel = "X:Y", defaultValue = "1.2:-0.8",
            description = "Linear drift per scan along x (columns) and y (rows), pixels. Default: ${DEFAULT-VALUE}.")
    String driftLinearPx;

    @Option(names = "--no-drift", description = "No sample drift at all.")
    boolean noDrift;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Generating threads; 0 = one per processor. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() throws Exception {
        SimulatorConfig config = config();
        CommandLine cl = spec.commandLine();
        zmq.validate(cl);
        boolean send = ZmqOutputOptions.sends(cl, output);
        if (fxiOut != null && config.acquisition().scans() > 1 && !fxiOut.contains(SCAN_PLACEHOLDER)) {
            throw new CommandLine.ParameterException(cl, "--fxi-out with --scans " + config.acquisition().scans()
                    + " needs " + SCAN_PLACEHOLDER + " in the file name (one file per scan), got '" + fxiOut + "'");
        }
        PrintStream log = progress.log();
        try (XanesSimulator sim = XanesSimulator.create(config)) {
            if (log != null) {
                log.printf(Locale.ROOT, "simulate: %dx%d px of %.3f um, %s edge %.0f eV, %d energies, %d scan(s) of %d frames%n",
                        config.width(), config.height(), config.pixelSizeUm(), sim.preset().element(),
                        sim.preset().edgeEv(), sim.plan().energies(), sim.plan().scans(), sim.plan().framesPerScan());
            }
            if (truthDir != null) {
                GroundTruth truth = sim.groundTruth();
                truth.write(truthDir);
                if (log != null) {
                    log.println("simulate: ground truth written to " + truthDir.toAbsolutePath());
                }
            }
            List<FrameSink> sinks = new ArrayList<>();
            try {
                if (send) {
                    ZmqFrameSink z = zmq.open(cl, log);
                    sinks.add(z);
                    if (log != null) {
                        log.println("simulate: sending " + zmq.describe(z));
                    }
                } else {
                    sinks.add(new CountingFrameSink());
                }
                FxiFileSink fxi = null;
                if (fxiOut != null) {
                    String template = fxiOut;
                    fxi = new FxiFileSink(id -> Path.of(template.replace(SCAN_PLACEHOLDER, id)),
                            FxiFileSink.Metadata.ofPixelSizeUm("xanestream simulate, seed " + config.seed(),
                                    config.pixelSizeUm()), true);
                    sinks.add(fxi);
                }
                try (FrameSink s = sinks.size() == 1 ? sinks.get(0) : new TeeFrameSink(sinks)) {
                    sinks.clear();
                    StreamOptions so = new StreamOptions(log, progress.progressS, java.time.Clock.systemUTC());
                    StreamStats stats = sim.stream(s, so);
                    cl.getOut().printf(Locale.ROOT, "sent %d frames of %d scan(s) in %.1f s (%.1f frames/s)%n",
                            stats.frames(), stats.scans(), stats.elapsedS(), stats.framesPerSecond());
                    if (fxi != null) {
                        for (Path p : fxi.written()) {
                            cl.getOut().println("wrote " + p);
                        }
                    }
                    cl.getOut().flush();
                }
            } finally {
                for (FrameSink s : sinks) {
                    s.close();
                }
            }
        }
        return 0;
    }

    /** The simulator configuration the options describe; bad values are usage errors. */
    SimulatorConfig config() {
        return ZmqOutputOptions.usage(spec.commandLine(), () -> {
            int[] wh = pair(size, "x", "--size");
            double[] d = range(diametersUm, "--diameters-um");
            double[] lin = range(driftLinearPx, "--drift-linear-px");
            PhantomConfig phantom = PhantomConfig.defaults().withCoverage(coverage).withDiametersUm(d[0], d[1])
                    .withEdgeJumpPerUm(edgeJumpPerUm);
            if (uniformFraction != null) {
                phantom = phantom.withUniformFraction(uniformFraction);
            }
            DriftConfig drift = noDrift ? DriftConfig.none()
                    : new DriftConfig(driftStepPx, driftBoundPx, lin[0], lin[1], DriftConfig.defaults().maxPx());
            DetectorConfig detector = DetectorConfig.defaults().withOpenBeamCounts(counts).withReadNoiseAdu(readNoise);
            AcquisitionConfig acq = AcquisitionConfig.defaults().withChunkSize(chunkSize).withScans(scans)
                    .withFrameRateHz(frameRateHz).withScanIdPrefix(scanIdPrefix);
            EnergyGrid grid = energies == null ? EnergyGrid.fxiLike() : EnergyGrid.parse(energies, !absoluteEnergies);
            return SimulatorConfig.defaults().withSeed(seed).withSize(wh[0], wh[1]).withPixelSizeUm(pixelSizeUm)
                    .withElement(element, reducedRef, oxidizedRef).withEnergies(grid).withPhantom(phantom)
                    .withDetector(detector).withDrift(drift).withAcquisition(acq).withThreads(threads);
        });
    }

    private static int[] pair(String text, String sep, String option) {
        double[] v = two(text.trim().toLowerCase(Locale.ROOT), sep, true);
        if (v == null) {
            throw new IllegalArgumentException(option + " must be WIDTHxHEIGHT, got '" + text + "'");
        }
        return new int[] {(int) v[0], (int) v[1]};
    }

    private static double[] range(String text, String option) {
        double[] v = two(text.trim(), ":", false);
        if (v == null) {
            throw new IllegalArgumentException(option + " must be A:B, got '" + text + "'");
        }
        return v;
    }

    /** The two numbers of {@code A<sep>B} (ints when {@code integers}), or null if it is not that. */
    private static double[] two(String text, String sep, boolean integers) {
        String[] p = text.split(sep);
        if (p.length != 2) {
            return null;
        }
        try {
            return integers
                    ? new double[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())}
                    : new double[] {Double.parseDouble(p[0].trim()), Double.parseDouble(p[1].trim())};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
