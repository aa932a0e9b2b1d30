package org.xanestream.simulators.truth;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.NormalizationWindows;
import org.xanestream.processor.fit.SpectrumEstimators;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.phantom.ParticlePhantom;
import org.xanestream.simulators.spectra.SpectralModel;

/**
 * Computes the {@link GroundTruth} of a simulated series.
 *
 * <p>Dense truth: the continuous model without its smooth background, i.e. the edge-normalized mixture
 * {@code f·ox(E) + (1−f)·red(E)} of the spline references, depends on the fraction only. Its peak inside
 * the preset's whiteline window and its first rise through 0.5 inside the edge window are tabulated
 * for 1025 fractions (0.005 eV sampling, refined by a parabola resp. bisection) and interpolated per
 * pixel; where the peak jumps between two local maxima (adjacent table entries more than 0.2 eV apart)
 * the nearer entry is taken instead.
 *
 * <p>Estimator truth: the DESIGN §4.4 estimators ({@link SpectrumEstimators}, double precision) applied
 * to the noiseless spectrum of every particle pixel at the scan energies (model including its smooth
 * background): {@code whiteline_ev/height/sigma_ev} and {@code edge_ev}, {@code edge_jump},
 * {@code pre_edge_sd}. NaN where no particle is.
 *
 * <p>Stateless; {@link #compute} allocates the truth maps.
 */
public final class TruthCalculator {
    /** Fractions tabulated for the dense landmarks: 0, 1/1024, …, 1. */
    static final int TABLE_STEPS = 1024;
    static final double DENSE_STEP_EV = 0.005;
    private static final double MAX_INTERPOLATION_GAP_EV = 0.2;

    private TruthCalculator() {
    }

    /** The truth of every scan, with the quadratic whiteline and the default normalization windows. */
    public static GroundTruth compute(XanesSimulator sim) {
        return compute(sim, 2, NormalizationWindows.defaults());
    }

    /**
     * The truth of every scan of the simulator's series.
     *
     * @param whitelineOrder 2 (quadratic) or 3 (cubic) whiteline fit
     * @param windows        normalization windows of the edge estimator
     */
    public static GroundTruth compute(XanesSimulator sim, int whitelineOrder, NormalizationWindows windows) {
        ElementPreset p = sim.preset();
        SpectralModel model = sim.spectralModel();
        ParticlePhantom ph = sim.phantom();
        int n = ph.width() * ph.height();

        double[] peakTable = new double[TABLE_STEPS + 1];
        double[] edgeTable = new double[TABLE_STEPS + 1];
        for (int k = 0; k <= TABLE_STEPS; k++) {
            double f = (double) k / TABLE_STEPS;
            peakTable[k] = model.densePeakEv(f, p.whitelineLoEv(), p.whitelineHiEv(), DENSE_STEP_EV);
            edgeTable[k] = model.denseHalfCrossingEv(f, p.edgeLoEv(), p.edgeHiEv(), DENSE_STEP_EV);
        }

        Map<String, float[]> statics = new LinkedHashMap<>();
        statics.put(GroundTruth.THICKNESS_UM, ph.thicknessUm().clone());
        statics.put(GroundTruth.DENSE_UM, ph.denseUm().clone());
        float[] step = new float[n];
        float[] dense = ph.denseUm();
        for (int i = 0; i < n; i++) {
            step[i] = (float) (model.jumpPerUm() * dense[i]);
        }
        statics.put(GroundTruth.EDGE_STEP, step);
        statics.put(GroundTruth.SUPPORT_MU, ph.supportMu().clone());

        double[] energies = sim.energiesEv();
        int ne = energies.length;
        double[] cOx = new double[ne];
        double[] cDense = new double[ne];
        double[] cSupport = new double[ne];
        for (int k = 0; k < ne; k++) {
            cOx[k] = model.coefficientOxidized(energies[k]);
            cDense[k] = model.coefficientDense(energies[k]);
            cSupport[k] = model.coefficientSupport(energies[k]);
        }
        float[] support = ph.supportMu();
        List<GroundTruth.ScanTruth> scans = new ArrayList<>();
        for (int s = 0; s < sim.scans(); s++) {
            float[] f = sim.oxidizedFraction(s);
            float[] ox = sim.oxidizedDenseUm(s);
            float[] wl = new float[n];
            float[] edge = new float[n];
            float[] wlEst = new float[n];
            float[] wlHeight = new float[n];
            float[] wlSigma = new float[n];
            float[] edgeEst = new float[n];
            float[] jump = new float[n];
            float[] preSd = new float[n];
            sim.rows().forEachBand(ph.height(), (y0, y1) -> {
                double[] mu = new double[ne];
                for (int i = y0 * ph.width(), end = y1 * ph.width(); i < end; i++) {
                    wl[i] = (float) lookup(peakTable, f[i]);
                    edge[i] = (float) lookup(edgeTable, f[i]);
                    if (!(dense[i] > 0)) {
                        wlEst[i] = wlHeight[i] = wlSigma[i] = edgeEst[i] = jump[i] = preSd[i] = Float.NaN;
                        continue;
                    }
                    for (int k = 0; k < ne; k++) {
                        mu[k] = cOx[k] * ox[i] + cDense[k] * dense[i] + cSupport[k] * support[i];
                    }
                    SpectrumEstimators.Whiteline w = SpectrumEstimators.whiteline(energies, mu, p, whitelineOrder);
                    SpectrumEstimators.Edge ed = SpectrumEstimators.edge(energies, mu, p, windows);
                    wlEst[i] = (float) w.peakEv();
                    wlHeight[i] = (float) w.height();
                    wlSigma[i] = (float) w.sigmaEv();
                    edgeEst[i] = (float) ed.edgeEv();
                    jump[i] = (float) ed.edgeJump();
                    preSd[i] = (float) ed.preEdgeSd();
                }
            });
            Map<String, float[]> maps = new LinkedHashMap<>();
            maps.put(GroundTruth.FRACTION_OX, f);
            maps.put(GroundTruth.WHITELINE_DENSE_EV, wl);
            maps.put(GroundTruth.EDGE_DENSE_EV, edge);
            maps.put(GroundTruth.WHITELINE_EV, wlEst);
            maps.put(GroundTruth.WHITELINE_HEIGHT, wlHeight);
            maps.put(GroundTruth.WHITELINE_SIGMA_EV, wlSigma);
            maps.put(GroundTruth.EDGE_EV, edgeEst);
            maps.put(GroundTruth.EDGE_JUMP, jump);
            maps.put(GroundTruth.PRE_EDGE_SD, preSd);
            scans.add(new GroundTruth.ScanTruth(sim.scanId(s), s, sim.seriesTime(s), energies,
                    sim.drift().xPx(s), sim.drift().yPx(s), maps));
        }
        return new GroundTruth(ph.width(), ph.height(), ph.pixelSizeUm(), p.element(), p.edgeEv(),
                new double[] {p.whitelineLoEv(), p.whitelineHiEv()}, new double[] {p.edgeLoEv(), p.edgeHiEv()},
                SpectrumEstimators.class.getName() + " (whiteline order " + whitelineOrder + ", windows " + windows + ")",
                statics, scans, new ObjectMapper().valueToTree(sim.config()));
    }

    /** Interpolates a landmark table at fraction {@code f}; NaN for NaN. */
    static double lookup(double[] table, float f) {
        if (Float.isNaN(f)) {
            return Double.NaN;
        }
        double pos = Math.min(1.0, Math.max(0.0, f)) * TABLE_STEPS;
        int k = (int) Math.floor(pos);
        if (k >= TABLE_STEPS) {
            return table[TABLE_STEPS];
        }
        double t = pos - k;
        double a = table[k];
        double b = table[k + 1];
        if (Double.isNaN(a) || Double.isNaN(b) || Math.abs(b - a) > MAX_INTERPOLATION_GAP_EV) {
            return t < 0.5 ? a : b;
        }
        return a + t * (b - a);
    }
}
