package org.xanestream.publisher.results;

import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic phantom Ni K-edge scan encoded exactly as DESIGN §4.3 prescribes: two round
 * particles with known whiteline energies (A: 8349.5 eV, reduced; B: 8351.5 eV, oxidized) on a thin
 * background. Used as the fake record source of the dashboard tests and, published to a real broker,
 * of the browser test.
 *
 * <p>Records come in publication order: scans start; per energy a point, the image bands and (every
 * {@code mapEvery} energies) all live map bands with {@code version} = energies so far; progress every
 * 5 energies; then the final maps (full resolution, {@code final=true}) and scans end.
 */
public final class SyntheticScan {
    public static final double EDGE_EV = 8347;
    public static final double WHITELINE_A_EV = 8349.5;
    public static final double WHITELINE_B_EV = 8351.5;
    public static final double FRACTION_A = 0.2;
    public static final double FRACTION_B = 0.8;

    public final String scanId;
    public final int width;
    public final int height;
    public final double[] energiesEv;
    public final int mapEvery;
    public final int liveBin;
    public final int imageBin;
    public final int bandRows;
    public final long startMillis;
    public final int seriesIndex;
    /** Shift of particle B's whiteline for this scan (operando series), eV. */
    public final double shiftEv;
    private final long seed;

    public SyntheticScan(String scanId, int width, int height, int energies, int mapEvery, int liveBin, int imageBin,
                         int bandRows, long startMillis, int seriesIndex, double shiftEv, long seed) {
        this.scanId = scanId;
        this.width = width;
        this.height = height;
        this.energiesEv = energies(energies);
        this.mapEvery = mapEvery;
        this.liveBin = liveBin;
        this.imageBin = imageBin;
        this.bandRows = bandRows;
        this.startMillis = startMillis;
        this.seriesIndex = seriesIndex;
        this.shiftEv = shiftEv;
        this.seed = seed;
    }

    /** A small default scan: 128×96, 40 energies, maps every 2 energies, no binning, 16-row bands. */
    public static SyntheticScan small(String scanId, long startMillis) {
        return new SyntheticScan(scanId, 128, 96, 40, 2, 1, 1, 16, startMillis, 0, 0, 42);
    }

    /** Energies from edge − 40 eV to edge + 120 eV, 0.5 eV steps across the edge and whiteline. */
    static double[] energies(int n) {
        double[] e = new double[n];
        int pre = Math.max(3, n / 8);
        int post = Math.max(3, n / 8);
        int mid = n - pre - post;
        for (int i = 0; i < pre; i++) {
            e[i] = EDGE_EV - 40 + i * (30.0 / pre);
        }
        for (int i = 0; i < mid; i++) {
            e[pre + i] = EDGE_EV - 10 + i * (25.0 / Math.max(1, mid - 1));
        }
        for (int i = 0; i < post; i++) {
            e[pre + mid + i] = EDGE_EV + 20 + (i + 1) * (100.0 / post);
        }
        return e;
    }

    public int centerAX() { return (int) (0.3 * width); }
    public int centerAY() { return (int) (0.4 * height); }
    public int centerBX() { return (int) (0.7 * width); }
    public int centerBY() { return (int) (0.6 * height); }
    public double radiusA() { return 0.18 * Math.min(width, height); }
    public double radiusB() { return 0.22 * Math.min(width, height); }

    /** 0 background, 1 particle A, 2 particle B. */
    public int particleAt(int x, int y) {
        double da = Math.hypot(x - centerAX(), y - centerAY());
        double db = Math.hypot(x - centerBX(), y - centerBY());
        if (da <= radiusA()) {
            return 1;
        }
        if (db <= radiusB()) {
            return 2;
        }
        return 0;
    }

    public double whitelineOf(int particle) {
        return particle == 1 ? WHITELINE_A_EV : WHITELINE_B_EV + shiftEv;
    }

    /** Noise-free absorbance of a pixel at an energy. */
    public double muTrue(int x, int y, double e) {
        int p = particleAt(x, y);
        if (p == 0) {
            return 0.05;
        }
        double wl = whitelineOf(p);
        double edge = wl - 6;
        double step = 0.5 + Math.atan((e - edge) / 0.8) / Math.PI;
        double peak = Math.exp(-0.5 * Math.pow((e - wl) / 2.2, 2));
        return 0.3 + 1.0 * step + 0.6 * peak;
    }

    /** The aligned absorbance image of energy {@code k} (seeded noise; NaN in column 0, shifted in by drift). */
    public float[] muImage(int k) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003 + k);
        double e = energiesEv[k];
        float[] mu = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = muTrue(x, y, e) + 0.01 * rnd.nextGaussian();
                mu[y * width + x] = x == 0 ? Float.NaN : (float) v;
            }
        }
        return mu;
    }

    // ---- the same scan as processor output, for the real Kafka publisher --------------------------

    public ScanInfo info() {
        List<Double> planned = new ArrayList<>();
        for (double e : energiesEv) {
            planned.add(e);
        }
        return new ScanInfo(scanId, "Ni", EDGE_EV, width, height, planned, startMillis, seriesIndex);
    }

    public EnergyPoint point(int k, long epochMillis) {
        float[] mu = muImage(k);
        double sum = 0;
        int valid = 0;
        for (float v : mu) {
            if (!Float.isNaN(v)) {
                sum += v;
                valid++;
            }
        }
        int n = energiesEv.length;
        return new EnergyPoint(scanId, k, energiesEv[k], 5, 5, energiesEv[k], 0.6 * Math.sin(k / 5.0), 0.4 * k / n,
                0.95, false, sum / valid, epochMillis, width, height, mu);
    }

    public MapsSnapshot snapshot(int version, boolean fin, long epochMillis) {
        Map<String, float[]> maps = maps(version);
        Map<String, MapSummary> summary = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : maps.entrySet()) {
            summary.put(e.getKey(), summarize(e.getValue(), maps.get("mask")));
        }
        return new MapsSnapshot(scanId, version, fin, width, height, maps, summary, false, epochMillis);
    }

    public ScanEnd end(MapsSnapshot finalMaps, long epochMillis) {
        return new ScanEnd(info(), energiesEv.length, 5 + 10L * energiesEv.length, 0, finalMaps, energiesEv.clone(),
                epochMillis);
    }

    /**
     * Drives a processor listener through energies {@code [from, to)} in the processor's order: scan start
     * (at 0), each point, maps after every {@code mapEvery} energies, and at the last energy the final
     * maps and the scan end.
     */
    public void play(ProcessorListener l, int from, int to, long epochMillis) {
        int n = energiesEv.length;
        if (from == 0) {
            l.onScanStart(info());
        }
        for (int k = from; k < to; k++) {
            l.onEnergyPoint(point(k, epochMillis));
            if ((k + 1) % mapEvery == 0 && k + 1 < n) {
                l.onMaps(snapshot(k + 1, false, epochMillis));
            }
        }
        if (to == n) {
            MapsSnapshot fin = snapshot(n, true, epochMillis);
            l.onMaps(fin);
            l.onScanEnd(end(fin, epochMillis));
        }
    }

    private static MapSummary summarize(float[] v, float[] mask) {
        long n = 0;
        double sum = 0, ss = 0;
        for (int i = 0; i < v.length; i++) {
            if (mask[i] >= 0.5f && !Float.isNaN(v[i])) {
                n++;
                sum += v[i];
                ss += (double) v[i] * v[i];
            }
        }
        double mean = n > 0 ? sum / n : Double.NaN;
        double std = n > 1 ? Math.sqrt(Math.max(0, (ss - n * mean * mean) / (n - 1))) : Double.NaN;
        return new MapSummary(mean, std, Double.NaN, Double.NaN, Double.NaN, n);
    }

    /** All records of the scan in publication order. */
    public List<EncodedRecord> records() {
        List<EncodedRecord> out = new ArrayList<>();
        long t = startMillis;
        int n = energiesEv.length;
        out.add(json(TopicKind.SCANS, scanJson("start", t, 0, 0, null), t));
        long frames = 5;
        for (int k = 0; k < n; k++) {
            t += 500;
            frames += 10;
            double e = energiesEv[k];
            float[] mu = muImage(k);
            double sum = 0;
            int valid = 0;
            for (float v : mu) {
                if (!Float.isNaN(v)) {
                    sum += v;
                    valid++;
                }
            }
            out.add(json(TopicKind.POINTS, String.format(Locale.ROOT,
                    "{\"scan_id\":\"%s\",\"index\":%d,\"energy_ev\":%.3f,\"frames\":5,\"flats\":5,\"flat_energy_ev\":%.3f,"
                            + "\"drift_x_px\":%.4f,\"drift_y_px\":%.4f,\"drift_confidence\":0.95,\"mean_mu\":%.6f,\"time\":\"%s\"}",
                    scanId, k, e, e, 0.6 * Math.sin(k / 5.0), 0.4 * k / n, sum / valid, iso(t)), t));
            Map<String, String> base = new LinkedHashMap<>();
            base.put("energy_index", Integer.toString(k));
            base.put("energy_ev", String.format(Locale.ROOT, "%.3f", e));
            bands(out, TopicKind.IMAGES, bin(mu, width, height, imageBin), base, imageBin, k + 1, false, t);
            if ((k + 1) % mapEvery == 0 && k + 1 < n) {
                maps(out, k + 1, false, liveBin, t);
            }
            if ((k + 1) % 5 == 0) {
                out.add(json(TopicKind.SCANS, scanJson("progress", t, k + 1, frames, summary(k + 1)), t));
            }
        }
        t += 500;
        maps(out, n, true, 1, t);
        out.add(json(TopicKind.SCANS, scanJson("end", t, n, frames, summary(n)), t));
        return out;
    }

    /** The live or final map values at {@code version}; whiteline noise shrinks as 1/sqrt(version). */
    public Map<String, float[]> maps(int version) {
        SplittableRandom rnd = new SplittableRandom(seed * 7_919 + version);
        Map<String, float[]> m = new LinkedHashMap<>();
        int np = width * height;
        float[] wl = new float[np], wls = new float[np], edge = new float[np], jump = new float[np], fo = new float[np],
                fr = new float[np], r2 = new float[np], mask = new float[np];
        double sd = 1.5 / Math.sqrt(version);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int p = particleAt(x, y);
                if (x == 0) {
                    wl[i] = wls[i] = edge[i] = jump[i] = fo[i] = fr[i] = r2[i] = Float.NaN;
                    mask[i] = 0;
                    continue;
                }
                if (p == 0) {
                    wl[i] = (float) (8347 + 7 * rnd.nextDouble());
                    wls[i] = 3f;
                    edge[i] = (float) (8339 + 9 * rnd.nextDouble());
                    jump[i] = (float) (0.01 * rnd.nextGaussian());
                    fo[i] = (float) rnd.nextDouble();
                    fr[i] = 1 - fo[i];
                    r2[i] = (float) (0.2 * rnd.nextDouble());
                    mask[i] = 0;
                } else {
                    wl[i] = (float) (whitelineOf(p) + sd * rnd.nextGaussian());
                    wls[i] = (float) sd;
                    edge[i] = (float) (whitelineOf(p) - 6 + sd * rnd.nextGaussian());
                    jump[i] = (float) (1.0 + 0.02 * rnd.nextGaussian());
                    double f = p == 1 ? FRACTION_A : FRACTION_B;
                    fo[i] = (float) Math.min(1, Math.max(0, f + 0.05 * rnd.nextGaussian()));
                    fr[i] = 1 - fo[i];
                    r2[i] = (float) (0.97 + 0.02 * rnd.nextDouble());
                    mask[i] = 1;
                }
            }
        }
        m.put("whiteline_ev", wl);
        m.put("whiteline_sigma_ev", wls);
        m.put("edge_ev", edge);
        m.put("edge_jump", jump);
        m.put("fraction_NiO2", fo);
        m.put("fraction_NiO", fr);
        m.put("r2", r2);
        m.put("mask", mask);
        return m;
    }

    private void maps(List<EncodedRecord> out, int version, boolean fin, int bin, long t) {
        for (Map.Entry<String, float[]> en : maps(version).entrySet()) {
            Map<String, String> base = new LinkedHashMap<>();
            base.put("map", en.getKey());
            bands(out, TopicKind.MAPS, bin(en.getValue(), width, height, bin), base, bin, version, fin, t);
        }
    }

    private void bands(List<EncodedRecord> out, TopicKind kind, float[] img, Map<String, String> base, int bin,
                       int version, boolean fin, long t) {
        int w = (width + bin - 1) / bin;
        int h = (height + bin - 1) / bin;
        for (int r0 = 0; r0 < h; r0 += bandRows) {
            int rows = Math.min(bandRows, h - r0);
            Map<String, String> hd = new LinkedHashMap<>();
            hd.put("scan_id", scanId);
            hd.putAll(base);
            hd.put("width", Integer.toString(w));
            hd.put("height", Integer.toString(h));
            hd.put("bin", Integer.toString(bin));
            hd.put("row0", Integer.toString(r0));
            hd.put("rows", Integer.toString(rows));
            hd.put("dtype", "float32");
            hd.put("version", Integer.toString(version));
            hd.put("final", Boolean.toString(fin));
            ByteBuffer b = ByteBuffer.allocate(rows * w * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = r0 * w; i < (r0 + rows) * w; i++) {
                b.putFloat(img[i]);
            }
            out.add(new EncodedRecord(kind, scanId, hd, b.array(), t));
        }
    }

    /** Block mean ignoring NaN. */
    static float[] bin(float[] v, int w, int h, int bin) {
        if (bin == 1) {
            return v;
        }
        int bw = (w + bin - 1) / bin;
        int bh = (h + bin - 1) / bin;
        float[] s = new float[bw * bh];
        int[] c = new int[bw * bh];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float f = v[y * w + x];
                if (!Float.isNaN(f)) {
                    s[(y / bin) * bw + x / bin] += f;
                    c[(y / bin) * bw + x / bin]++;
                }
            }
        }
        for (int i = 0; i < s.length; i++) {
            s[i] = c[i] > 0 ? s[i] / c[i] : Float.NaN;
        }
        return s;
    }

    private String summary(int version) {
        double sd = 1.5 / Math.sqrt(version);
        double fa = area(1), fb = area(2);
        double wlMean = (fa * WHITELINE_A_EV + fb * (WHITELINE_B_EV + shiftEv)) / (fa + fb);
        double wlStd = Math.sqrt((fa * Math.pow(WHITELINE_A_EV - wlMean, 2) + fb * Math.pow(WHITELINE_B_EV + shiftEv - wlMean, 2))
                / (fa + fb) + sd * sd);
        double frMean = (fa * FRACTION_A + fb * FRACTION_B) / (fa + fb);
        double frStd = Math.sqrt((fa * Math.pow(FRACTION_A - frMean, 2) + fb * Math.pow(FRACTION_B - frMean, 2)) / (fa + fb));
        return String.format(Locale.ROOT, "{\"whiteline_ev\":{\"mean\":%.4f,\"std\":%.4f,\"p05\":%.3f,\"p50\":%.3f,\"p95\":%.3f,\"n_valid\":%d},"
                        + "\"fraction_NiO2\":{\"mean\":%.4f,\"std\":%.4f,\"p05\":null,\"p50\":null,\"p95\":null,\"n_valid\":%d}}",
                wlMean, wlStd, WHITELINE_A_EV, wlMean, WHITELINE_B_EV + shiftEv, (long) (fa + fb), frMean, frStd, (long) (fa + fb));
    }

    private double area(int particle) {
        int c = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 1; x < width; x++) {
                if (particleAt(x, y) == particle) {
                    c++;
                }
            }
        }
        return c;
    }

    private String scanJson(String type, long t, int done, long frames, String summary) {
        StringBuilder planned = new StringBuilder("[");
        for (int i = 0; i < energiesEv.length; i++) {
            planned.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", energiesEv[i]));
        }
        planned.append(']');
        return String.format(Locale.ROOT,
                "{\"type\":\"%s\",\"scan_id\":\"%s\",\"time\":\"%s\",\"element\":\"Ni\",\"edge_ev\":%.1f,\"width\":%d,"
                        + "\"height\":%d,\"energies_planned\":%s,\"energies_done\":%d,\"frames_received\":%d,"
                        + "\"frames_rejected\":%d,\"series_index\":%d%s}",
                type, scanId, iso(t), EDGE_EV, width, height, planned, done, frames, done / 10, seriesIndex,
                summary == null ? "" : ",\"summary\":" + summary);
    }

    private EncodedRecord json(TopicKind kind, String text, long t) {
        return new EncodedRecord(kind, scanId, Map.of(), text.getBytes(StandardCharsets.UTF_8), t);
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
