package org.xanestream.simulators;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.spectra.ReferenceSpectra;
import org.xanestream.processor.spectra.ReferenceSpectrum;
import org.xanestream.simulators.acquisition.AcquisitionPlan;
import org.xanestream.simulators.acquisition.PlannedFrame;
import org.xanestream.simulators.detector.DetectorModel;
import org.xanestream.simulators.detector.DriftTrack;
import org.xanestream.simulators.detector.FrameSynthesizer;
import org.xanestream.simulators.detector.NoiseRenderer;
import org.xanestream.simulators.detector.SubPixelShift;
import org.xanestream.simulators.phantom.ParticlePhantom;
import org.xanestream.simulators.sink.FrameSink;
import org.xanestream.simulators.spectra.SpectralModel;

/**
 * The TXM XANES detector simulator: phantom + spectral model + detector physics + drift + acquisition
 * sequence, streaming frames into a {@link FrameSink}, with programmatic access to the noiseless
 * model (for tests elsewhere) and to the ground truth.
 *
 * <p>Deterministic: the same {@link SimulatorConfig} (seed included) gives identical frames and truth,
 * whatever the number of threads. Not thread safe: use from one thread; heavy loops run on the
 * configured {@link RowParallel}. Building allocates the phantom and detector maps (a few float images);
 * the first {@link #stream} allocates the per-energy image buffers once; steady-state streaming allocates
 * only a frame header per frame.
 */
public final class XanesSimulator implements AutoCloseable {
    /** The {@code source} of the frame headers produced. */
    public static final String SOURCE = "simulator";

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final SimulatorConfig config;
    private final ElementPreset preset;
    private final double[] energiesEv;
    private final AcquisitionPlan plan;
    private final ParticlePhantom phantom;
    private final SpectralModel model;
    private final DetectorModel detector;
    private final DriftTrack drift;
    private final RowParallel rows;
    private final boolean ownsRows;
    private final long noiseSeed;
    private final double[] cOx;
    private final double[] cDense;
    private final double[] cSupport;
    private final ReferenceSpectrum reducedRef;
    private final ReferenceSpectrum oxidizedRef;
    private FrameSynthesizer synth;
    private int cachedScan = -1;
    private float[] cachedOxidized;

    private XanesSimulator(SimulatorConfig config, ReferenceSpectrum reduced, ReferenceSpectrum oxidized, RowParallel rows,
                           boolean ownsRows) {
        this.config = config;
        this.preset = config.preset();
        this.energiesEv = config.energiesEv();
        this.plan = new AcquisitionPlan(config.acquisition(), energiesEv.length);
        long seed = config.seed();
        this.phantom = ParticlePhantom.generate(config.phantom(), config.width(), config.height(), config.pixelSizeUm(),
                subSeed(seed, 1));
        this.reducedRef = reduced;
        this.oxidizedRef = oxidized;
        this.model = new SpectralModel(reduced, oxidized, preset.edgeEv(), config.phantom());
        this.detector = new DetectorModel(config.detector(), config.width(), config.height(), preset.edgeEv(),
                subSeed(seed, 2));
        this.drift = DriftTrack.generate(config.drift(), plan.scans(), energiesEv.length, subSeed(seed, 3));
        this.noiseSeed = subSeed(seed, 4);
        this.rows = rows;
        this.ownsRows = ownsRows;
        int n = energiesEv.length;
        cOx = new double[n];
        cDense = new double[n];
        cSupport = new double[n];
        for (int k = 0; k < n; k++) {
            cOx[k] = model.coefficientOxidized(energiesEv[k]);
            cDense[k] = model.coefficientDense(energiesEv[k]);
            cSupport[k] = model.coefficientSupport(energiesEv[k]);
        }
    }

    /**
     * Builds a simulator with its own row pool ({@code config.threads()}, 0 = all cores), loading the
     * references the configuration names.
     *
     * @throws IOException if a reference file cannot be read or is malformed
     */
    public static XanesSimulator create(SimulatorConfig config) throws IOException {
        int t = config.threads() == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors()) : config.threads();
        return build(config, new RowParallel(t), true);
    }

    /** Builds a simulator on a caller-owned row pool (not closed by {@link #close()}). */
    public static XanesSimulator create(SimulatorConfig config, RowParallel rows) throws IOException {
        return build(config, rows, false);
    }

    private static XanesSimulator build(SimulatorConfig config, RowParallel rows, boolean owns) throws IOException {
        try {
            ReferenceSpectrum red = ReferenceSpectra.resolve(config.reducedReference());
            ReferenceSpectrum ox = ReferenceSpectra.resolve(config.oxidizedReference());
            return new XanesSimulator(config, red, ox, rows, owns);
        } catch (IOException | RuntimeException e) {
            if (owns) {
                rows.close();
            }
            throw e;
        }
    }

    private static long subSeed(long seed, int k) {
        return NoiseRenderer.frameKey(seed, 0x51D, k);
    }

    public SimulatorConfig config() {
        return config;
    }

    public ElementPreset preset() {
        return preset;
    }

    /** The scan energies, eV (a copy). */
    public double[] energiesEv() {
        return energiesEv.clone();
    }

    public AcquisitionPlan plan() {
        return plan;
    }

    public ParticlePhantom phantom() {
        return phantom;
    }

    public SpectralModel spectralModel() {
        return model;
    }

    public DetectorModel detector() {
        return detector;
    }

    public DriftTrack drift() {
        return drift;
    }

    /** The row pool the simulator splits per-pixel work across. */
    public RowParallel rows() {
        return rows;
    }

    /**
     * Computes the ground truth of the whole series (see {@link org.xanestream.simulators.truth.GroundTruth}).
     * Allocates the truth maps; evaluates the model of every pixel of every scan.
     */
    public org.xanestream.simulators.truth.GroundTruth groundTruth() {
        return org.xanestream.simulators.truth.TruthCalculator.compute(this);
    }

    /** The reduced-state reference as loaded (before normalization). */
    public ReferenceSpectrum reducedReference() {
        return reducedRef;
    }

    /** The oxidized-state reference as loaded (before normalization). */
    public ReferenceSpectrum oxidizedReference() {
        return oxidizedRef;
    }

    /** Scans in the series. */
    public int scans() {
        return plan.scans();
    }

    /** The id of scan {@code scan}. */
    public String scanId(int scan) {
        return config.acquisition().scanId(scan);
    }

    /** The series (charging) time of scan {@code scan}, 0..1. */
    public double seriesTime(int scan) {
        return phantom.seriesTime(scan, plan.scans());
    }

    /** {@code Σρtf} of scan {@code scan} (µm); cached for the last scan asked, shared: do not modify. */
    public float[] oxidizedDenseUm(int scan) {
        checkScan(scan);
        if (cachedScan != scan) {
            if (cachedOxidized == null) {
                cachedOxidized = new float[config.width() * config.height()];
            }
            phantom.oxidizedDenseUm(seriesTime(scan), cachedOxidized);
            cachedScan = scan;
        }
        return cachedOxidized;
    }

    /** The true oxidized fraction of scan {@code scan}, NaN outside particles (a new array). */
    public float[] oxidizedFraction(int scan) {
        float[] a = oxidizedDenseUm(scan);
        float[] t = phantom.denseUm();
        float[] f = new float[a.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = t[i] > 0 ? Math.min(1f, Math.max(0f, a[i] / t[i])) : Float.NaN;
        }
        return f;
    }

    /** Noiseless absorbance of reference-frame pixel (x, y) of scan {@code scan} at any energy. */
    public double noiselessMu(int scan, int x, int y, double energyEv) {
        int i = pixel(x, y);
        return model.mu(phantom.denseUm()[i], oxidizedDenseUm(scan)[i], phantom.supportMu()[i], energyEv);
    }

    /** Noiseless spectrum of reference-frame pixel (x, y) of scan {@code scan} at the scan energies. */
    public double[] noiselessSpectrum(int scan, int x, int y) {
        int i = pixel(x, y);
        double a = oxidizedDenseUm(scan)[i];
        double t = phantom.denseUm()[i];
        double s = phantom.supportMu()[i];
        double[] mu = new double[energiesEv.length];
        for (int k = 0; k < mu.length; k++) {
            mu[k] = cOx[k] * a + cDense[k] * t + cSupport[k] * s;
        }
        return mu;
    }

    /**
     * Noiseless absorbance image of one energy of one scan (a new array).
     *
     * @param drifted false: in the reference frame (where the truth maps live); true: displaced by the
     *                true drift of that energy, as the detector sees the sample
     */
    public float[] noiselessMuImage(int scan, int energyIndex, boolean drifted) {
        float[] ref = new float[config.width() * config.height()];
        muReference(scan, energyIndex, ref);
        if (!drifted) {
            return ref;
        }
        float[] out = new float[ref.length];
        SubPixelShift.bilinear(ref, config.width(), config.height(), drift.xPx(scan, energyIndex),
                drift.yPx(scan, energyIndex), out);
        return out;
    }

    /** Fills {@code out} with the reference-frame absorbance of energy {@code e} of scan {@code scan}. */
    private void muReference(int scan, int e, float[] out) {
        final float[] a = oxidizedDenseUm(scan);
        final float[] t = phantom.denseUm();
        final float[] s = phantom.supportMu();
        final float ca = (float) cOx[e];
        final float ct = (float) cDense[e];
        final float cs = (float) cSupport[e];
        final int w = config.width();
        rows.forEachBand(config.height(), (y0, y1) -> {
            for (int i = y0 * w, end = y1 * w; i < end; i++) {
                out[i] = ca * a[i] + ct * t[i] + cs * s[i];
            }
        });
    }

    private int pixel(int x, int y) {
        if (x < 0 || x >= config.width() || y < 0 || y >= config.height()) {
            throw new IllegalArgumentException("pixel (" + x + ", " + y + ") is outside " + config.width() + "x"
                    + config.height());
        }
        return y * config.width() + x;
    }

    private void checkScan(int scan) {
        if (scan < 0 || scan >= plan.scans()) {
            throw new IllegalArgumentException("scan " + scan + " is outside 0.." + (plan.scans() - 1));
        }
    }

    /**
     * Streams every scan of the series into {@code sink}: per scan {@code beginScan}, the frames of the
     * FXI sequence, {@code endScan}. Paced at {@code acquisition.frameRateHz} (0 = as fast as the sink
     * takes them). Does not close the sink.
     *
     * @throws IOException          if the sink fails
     * @throws InterruptedException if the thread is interrupted (between frames)
     */
    public StreamStats stream(FrameSink sink, StreamOptions options) throws IOException, InterruptedException {
        return stream(sink, options, 0, plan.scans());
    }

    /** Streams scans {@code [firstScan, endScan)} only (see {@link #stream(FrameSink, StreamOptions)}). */
    public StreamStats stream(FrameSink sink, StreamOptions options, int firstScan, int endScan)
            throws IOException, InterruptedException {
        if (firstScan < 0 || endScan > plan.scans() || firstScan >= endScan) {
            throw new IllegalArgumentException("scan range " + firstScan + ".." + endScan + " is not within 0.."
                    + plan.scans());
        }
        if (synth == null) {
            synth = new FrameSynthesizer(detector, rows);
        }
        final int w = config.width();
        final int h = config.height();
        byte[] buf = new byte[2 * w * h];
        ByteBuffer pixels = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        float[] muRef = new float[w * h];
        long startEpochNanos = options.clock().millis() * 1_000_000L;
        double rate = config.acquisition().frameRateHz();
        long periodNanos = rate > 0 ? Math.round(1e9 / rate) : 0;
        long t0 = System.nanoTime();
        long generateNanos = 0;
        long frames = 0;
        long bytes = 0;
        Progress progress = new Progress(options, plan, t0);
        for (int s = firstScan; s < endScan; s++) {
            String scanId = scanId(s);
            sink.beginScan(scanId, w, h, PixelType.UINT16);
            int prepared = -1;
            List<PlannedFrame> seq = plan.frames(s);
            for (int k = 0; k < seq.size(); k++) {
                PlannedFrame f = seq.get(k);
                if (Thread.interrupted()) {
                    throw new InterruptedException("simulation interrupted at scan " + scanId + " frame " + f.frameNumber());
                }
                long g0 = System.nanoTime();
                long key = NoiseRenderer.frameKey(noiseSeed, s, f.frameNumber());
                double energy;
                if (f.kind() == FrameKind.DARK) {
                    synth.renderDark(key, buf);
                    energy = energiesEv[0];
                } else {
                    int e = f.energyIndex();
                    if (e != prepared) {
                        muReference(s, e, muRef);
                        synth.prepareEnergy(muRef, energiesEv[e], drift.xPx(s, e), drift.yPx(s, e),
                                plan.sampleTimeS(s, e), plan.flatTimeS(s, e));
                        prepared = e;
                    }
                    if (f.kind() == FrameKind.SAMPLE) {
                        synth.renderSample(key, buf);
                    } else {
                        synth.renderFlat(key, buf);
                    }
                    energy = energiesEv[e];
                }
                generateNanos += System.nanoTime() - g0;
                FrameHeader header = new FrameHeader(SOURCE, scanId, f.frameNumber(), f.kind(), energy, w, h,
                        PixelType.UINT16, startEpochNanos + Math.round(f.timeS() * 1e9), Map.of());
                if (periodNanos > 0) {
                    pace(t0 + frames * periodNanos);
                }
                sink.sendFrame(header, pixels);
                frames++;
                bytes += buf.length;
                progress.frameSent(s, scanId, f, energy, frames, bytes);
            }
            sink.endScan(scanId);
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        StreamStats stats = new StreamStats(endScan - firstScan, frames, bytes, elapsed, generateNanos / 1e9);
        progress.done(stats);
        return stats;
    }

    private static void pace(long dueNanos) throws InterruptedException {
        for (long left = dueNanos - System.nanoTime(); left > 0; left = dueNanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException("simulation interrupted while pacing frames");
            }
        }
    }

    @Override
    public void close() {
        if (ownsRows) {
            rows.close();
        }
    }

    /** Prints a progress line every few seconds of wall time. */
    private static final class Progress {
        private final StreamOptions options;
        private final AcquisitionPlan plan;
        private final long t0;
        private final long intervalNanos;
        private long nextNanos;
        private long lastFrames;
        private long lastNanos;

        Progress(StreamOptions options, AcquisitionPlan plan, long t0) {
            this.options = options;
            this.plan = plan;
            this.t0 = t0;
            this.intervalNanos = Math.round(options.progressIntervalS() * 1e9);
            this.nextNanos = t0 + intervalNanos;
            this.lastNanos = t0;
        }

        void frameSent(int scan, String scanId, PlannedFrame f, double energyEv, long frames, long bytes) {
            if (options.progress() == null) {
                return;
            }
            long now = System.nanoTime();
            if (now < nextNanos) {
                return;
            }
            double rate = (frames - lastFrames) / ((now - lastNanos) / 1e9);
            options.progress().printf(Locale.ROOT,
                    "simulate: scan %d/%d %s, energy %d/%d (%.1f eV), frame %d/%d, %.1f frames/s, %.2f GB sent%n",
                    scan + 1, plan.scans(), scanId, f.energyIndex() + 1, plan.energies(), energyEv,
                    f.frameNumber() + 1, plan.framesPerScan(), rate, bytes / 1e9);
            lastFrames = frames;
            lastNanos = now;
            nextNanos = now + intervalNanos;
        }

        void done(StreamStats s) {
            if (options.progress() == null) {
                return;
            }
            options.progress().printf(Locale.ROOT,
                    "simulate: done, %d scan(s), %d frames, %.2f GB in %.1f s (%.1f frames/s; generation alone %.1f frames/s)%n",
                    s.scans(), s.frames(), s.bytes() / 1e9, s.elapsedS(), s.framesPerSecond(), s.generatedFramesPerSecond());
            options.progress().flush();
        }
    }
}
