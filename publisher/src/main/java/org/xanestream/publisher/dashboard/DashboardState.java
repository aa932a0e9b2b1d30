package org.xanestream.publisher.dashboard;

import org.xanestream.processor.MapSummary;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.publisher.results.BandRecord;
import org.xanestream.publisher.results.PointRecord;
import org.xanestream.publisher.results.RejectedRecord;
import org.xanestream.publisher.results.ResultListener;
import org.xanestream.publisher.results.ScanRecord;
import org.xanestream.publisher.results.TopicKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The dashboard's model: the latest state of every remembered scan, fed by result events.
 *
 * <p>Per scan it keeps the scan records (progress, summaries), the points (drift, mean mu), each map's
 * highest complete version reassembled from its bands (a higher {@code version} wins; the final
 * publication wins over a live one of the same version; a version is shown only once all its rows
 * arrived), and for the most recent scans the aligned energy images, binned to a bounded size, so that
 * a clicked pixel's spectrum can be served. Bounds: see {@link DashboardConfig}.
 *
 * <p>Thread safety: all methods are safe to call from any thread. Events arrive on the source's thread
 * (the Kafka consumer) and mutate under one lock; readers (HTTP handlers, the push loop) take the lock
 * briefly to serialize small JSON or to grab immutable {@link MapView}s, and do pixel work outside it.
 * {@link #revision()} increases on every visible change, so readers poll it to coalesce updates.
 */
public final class DashboardState implements ResultListener {
    private static final int RECENT_REJECTED = 20;
    private static final int CURVE_SAMPLES = 40;

    private final DashboardConfig config;
    private final LongSupplier clock;
    private final LinkedHashMap<String, ScanState> scans = new LinkedHashMap<>();
    private final LinkedHashMap<String, Long> rejectedByReason = new LinkedHashMap<>();
    private final ArrayDeque<RejectedRecord> recentRejected = new ArrayDeque<>();
    private volatile long revision;
    private Boolean sourceConnected;
    private String sourceDetail = "waiting for the result source";
    private long sourceSinceMillis;
    private long rejectedTotal;
    private long decodeErrors;
    private String lastDecodeError = "";
    private long droppedBands;

    /** @param clock wall clock in epoch milliseconds (injected for tests) */
    public DashboardState(DashboardConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.sourceSinceMillis = clock.getAsLong();
    }

    public DashboardState(DashboardConfig config) {
        this(config, System::currentTimeMillis);
    }

    public DashboardConfig config() {
        return config;
    }

    /** Increases on every visible change. */
    public long revision() {
        return revision;
    }

    // ---- events (source thread) -------------------------------------------------------------------

    @Override
    public synchronized void onScan(ScanRecord r) {
        scan(r.scanId()).apply(r, clock.getAsLong());
        revision++;
    }

    @Override
    public synchronized void onPoint(PointRecord p) {
        scan(p.scanId()).apply(p, config.maxEnergiesPerScan(), clock.getAsLong());
        revision++;
    }

    @Override
    public synchronized void onBand(BandRecord b) {
        ScanState s = scan(b.scanId());
        int rank = recency(s);
        boolean changed;
        if (b.kind() == BandRecord.Kind.MAP) {
            changed = rank < config.scansWithMaps() && s.applyMap(b, config, clock.getAsLong());
        } else {
            changed = rank < config.scansWithImages() && s.applyImage(b, config, clock.getAsLong());
        }
        if (changed) {
            revision++;
        }
    }

    @Override
    public synchronized void onRejected(RejectedRecord r) {
        rejectedTotal++;
        rejectedByReason.merge(r.reason().isEmpty() ? "unknown" : r.reason(), 1L, Long::sum);
        if (recentRejected.size() >= RECENT_REJECTED) {
            recentRejected.removeFirst();
        }
        recentRejected.addLast(r);
        revision++;
    }

    @Override
    public synchronized void onDecodeError(TopicKind topic, String detail) {
        decodeErrors++;
        lastDecodeError = topic.suffix() + ": " + detail;
        revision++;
    }

    @Override
    public synchronized void onSourceState(boolean connected, String detail) {
        sourceConnected = connected;
        sourceDetail = detail == null ? "" : detail;
        sourceSinceMillis = clock.getAsLong();
        revision++;
    }

    private ScanState scan(String id) {
        ScanState s = scans.get(id);
        if (s == null) {
            s = new ScanState(id, clock.getAsLong());
            scans.put(id, s);
            while (scans.size() > config.maxScans()) {
                Iterator<ScanState> it = scans.values().iterator();
                droppedBands += it.next().droppedBands;
                it.remove();
            }
            // Only the most recent scans keep pixels.
            int fromNewest = scans.size() - 1;
            for (ScanState old : scans.values()) {
                if (fromNewest >= config.scansWithMaps()) {
                    old.dropMaps();
                }
                if (fromNewest >= config.scansWithImages()) {
                    old.dropImages();
                }
                fromNewest--;
            }
        }
        return s;
    }

    /** 0 for the newest scan, 1 for the one before, … */
    private int recency(ScanState s) {
        int i = 0;
        int pos = -1;
        for (ScanState x : scans.values()) {
            if (x == s) {
                pos = i;
            }
            i++;
        }
        return i - 1 - pos;
    }

    // ---- readers (any thread) ---------------------------------------------------------------------

    /** The id itself if known; for {@code latest} (or null/empty) the most recently started scan; else null. */
    public synchronized String resolveScanId(String idOrLatest) {
        if (idOrLatest == null || idOrLatest.isEmpty() || idOrLatest.equals("latest")) {
            String best = null;
            long bestStart = Long.MIN_VALUE;
            for (ScanState s : scans.values()) {
                if (s.startMillis >= bestStart) {
                    bestStart = s.startMillis;
                    best = s.scanId;
                }
            }
            return best;
        }
        return scans.containsKey(idOrLatest) ? idOrLatest : null;
    }

    /** Revision of one scan's detail, or -1 if unknown. */
    public synchronized long scanRevision(String scanId) {
        ScanState s = scans.get(scanId);
        return s == null ? -1 : s.revision;
    }

    /** Ids of the remembered scans, oldest first. */
    public synchronized List<String> scanIds() {
        return new ArrayList<>(scans.keySet());
    }

    /** The shown version of a map, or null. */
    synchronized MapView map(String scanId, String name) {
        ScanState s = scans.get(scanId);
        return s == null ? null : s.map(name);
    }

    /** Names of the maps of a scan that have a shown version, in first-seen order. */
    public synchronized List<String> mapNames(String scanId) {
        ScanState s = scans.get(scanId);
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (MapView m : s.shownMaps()) {
                out.add(m.name());
            }
        }
        return out;
    }

    /** The scan's shown mask map, or null if it has none yet. */
    synchronized MapView mask(String scanId) {
        return map(scanId, "mask");
    }

    /** Bytes of pixel data held across all scans (maps, images, assemblies). */
    public synchronized long pixelBytes() {
        long b = 0;
        for (ScanState s : scans.values()) {
            b += s.pixelBytes();
        }
        return b;
    }

    /** Bands ignored so far (superseded assemblies, geometry changes, limits). */
    public synchronized long droppedBands() {
        long d = droppedBands;
        for (ScanState s : scans.values()) {
            d += s.droppedBands;
        }
        return d;
    }

    /** The scan list, connection state and rejections as JSON. */
    public synchronized String overviewJson() {
        JsonOut j = new JsonOut().begin();
        j.str("type", "overview").num("revision", revision).num("serverMillis", clock.getAsLong())
                .num("staleAfterMs", config.staleAfterMs());
        j.begin("source");
        if (sourceConnected == null) {
            j.nullValue("connected");
        } else {
            j.bool("connected", sourceConnected);
        }
        j.str("detail", sourceDetail).num("sinceMillis", sourceSinceMillis).num("decodeErrors", decodeErrors)
                .str("lastDecodeError", lastDecodeError).end();
        j.begin("rejected").num("total", rejectedTotal).begin("byReason");
        for (Map.Entry<String, Long> e : rejectedByReason.entrySet()) {
            j.num(e.getKey(), e.getValue());
        }
        j.end().array("recent");
        for (RejectedRecord r : recentRejected) {
            j.begin().num("time", r.epochMillis()).str("source", r.source()).str("reason", r.reason())
                    .str("detail", r.detail()).end();
        }
        j.endArray().end();
        j.num("pixelBytes", pixelBytes()).num("droppedBands", droppedBands());
        j.array("scans");
        for (ScanState s : scans.values()) {
            j.begin();
            writeScanHeader(j, s);
            j.begin("series");
            for (Map.Entry<String, MapSummary> e : s.summary.entrySet()) {
                String k = e.getKey();
                if (k.equals("whiteline_ev") || k.equals("edge_ev")
                        || (k.startsWith("fraction_") && !k.endsWith("_sigma"))) {
                    MapSummary m = e.getValue();
                    j.begin(k).num("mean", m.mean()).num("std", m.std()).num("p50", m.p50())
                            .num("n", m.nValid()).end();
                }
            }
            j.end().end();
        }
        j.endArray().end();
        return j.done();
    }

    private static void writeScanHeader(JsonOut j, ScanState s) {
        j.str("id", s.scanId).str("element", s.element).num("edgeEv", s.edgeEv)
                .str("status", s.status.name().toLowerCase(java.util.Locale.ROOT))
                .num("startMillis", s.startMillis).num("lastRecordMillis", s.lastRecordMillis)
                .num("lastReceiveMillis", s.lastReceiveMillis).num("width", s.width).num("height", s.height)
                .num("energiesDone", s.energiesDone);
        if (s.plannedEv == null) {
            j.nullValue("energiesPlanned");
        } else {
            j.num("energiesPlanned", s.plannedEv.size());
        }
        j.num("framesReceived", s.framesReceived).num("framesRejected", s.framesRejected)
                .num("frameRateHz", s.frameRateHz).num("seriesIndex", s.seriesIndex)
                .bool("whitelineOnly", s.whitelineOnly).num("revision", s.revision);
    }

    /** One scan's detail (progress, points, maps, summaries, mean-spectrum fit) as JSON, or null if unknown. */
    public synchronized String scanJson(String scanId) {
        ScanState s = scans.get(scanId);
        if (s == null) {
            return null;
        }
        JsonOut j = new JsonOut().begin();
        j.str("type", "scan");
        writeScanHeader(j, s);
        if (s.plannedEv == null) {
            j.nullValue("plannedEv");
        } else {
            j.array("plannedEv");
            for (double e : s.plannedEv) {
                j.value(e);
            }
            j.endArray();
        }
        int n = s.points.size();
        double[] idx = new double[n], e = new double[n], dx = new double[n], dy = new double[n],
                conf = new double[n], mu = new double[n], fr = new double[n], fl = new double[n], fe = new double[n],
                t = new double[n];
        int k = 0;
        for (PointRecord p : s.points.values()) {
            idx[k] = p.index();
            e[k] = p.energyEv();
            dx[k] = p.driftXPx();
            dy[k] = p.driftYPx();
            conf[k] = p.driftConfidence();
            mu[k] = p.meanMu();
            fr[k] = p.frames();
            fl[k] = p.flats();
            fe[k] = p.flatEnergyEv();
            t[k] = p.epochMillis();
            k++;
        }
        j.begin("points").floats("index", idx, n).floats("energyEv", e, n).floats("driftXPx", dx, n)
                .floats("driftYPx", dy, n).floats("driftConfidence", conf, n).floats("meanMu", mu, n)
                .floats("frames", fr, n).floats("flats", fl, n).floats("flatEnergyEv", fe, n);
        j.array("timeMillis");
        for (int i = 0; i < n; i++) {
            j.value((long) t[i]);
        }
        j.endArray().end();
        j.array("maps");
        for (MapView m : s.shownMaps()) {
            j.begin().str("name", m.name()).num("version", m.version()).bool("final", m.finalMap())
                    .num("width", m.width()).num("height", m.height()).num("scale", m.scale()).num("bin", m.bin())
                    .end();
        }
        j.endArray();
        j.begin("summary");
        for (Map.Entry<String, MapSummary> en : s.summary.entrySet()) {
            MapSummary m = en.getValue();
            j.begin(en.getKey()).num("mean", m.mean()).num("std", m.std()).num("p05", m.p05()).num("p50", m.p50())
                    .num("p95", m.p95()).num("n", m.nValid()).end();
        }
        j.end();
        MapView anyImage = s.images.isEmpty() ? null : s.images.lastEntry().getValue();
        j.begin("images").num("count", s.images.size());
        if (anyImage != null) {
            j.num("width", anyImage.width()).num("height", anyImage.height()).num("scale", anyImage.scale());
        }
        j.end();
        double[][] ms = s.meanSpectrum();
        SpectrumFit fit = SpectrumFit.fit(ms[0], ms[1], SpectrumFit.windows(s.element, s.edgeEv));
        writeFit(j, "meanFit", fit, ms[0]);
        return j.end().done();
    }

    private static void writeFit(JsonOut j, String field, SpectrumFit f, double[] energies) {
        if (f == null) {
            j.nullValue(field);
            return;
        }
        j.begin(field).num("whitelineLoEv", f.whitelineLoEv()).num("whitelineHiEv", f.whitelineHiEv())
                .bool("quadratic", f.quadratic()).num("whitelineEv", f.whitelineEv())
                .num("whitelineMu", f.whitelineMu()).num("edgeEv", f.edgeEv()).num("edgeJump", f.edgeJump())
                .num("edgeRefEv", f.edgeRefEv());
        if (Double.isFinite(f.c2())) {
            double lo = f.whitelineLoEv();
            double hi = f.whitelineHiEv();
            double[] ce = new double[CURVE_SAMPLES];
            double[] cm = new double[CURVE_SAMPLES];
            for (int i = 0; i < CURVE_SAMPLES; i++) {
                ce[i] = lo + (hi - lo) * i / (CURVE_SAMPLES - 1);
                cm[i] = f.quadraticAt(ce[i]);
            }
            j.floats("curveEv", ce, CURVE_SAMPLES).floats("curveMu", cm, CURVE_SAMPLES);
        }
        if (Double.isFinite(f.preA())) {
            double lo = energies.length > 0 ? energies[0] : f.preLoEv();
            double hi = f.edgeRefEv() + 10;
            j.begin("preLine").num("e0", lo).num("e1", hi).num("mu0", f.preA() + f.preB() * (lo - f.edgeRefEv()))
                    .num("mu1", f.preA() + f.preB() * (hi - f.edgeRefEv())).end();
        }
        if (Double.isFinite(f.postA())) {
            double lo = f.edgeRefEv() - 10;
            double hi = energies.length > 0 ? energies[energies.length - 1] : f.postHiEv();
            j.begin("postLine").num("e0", lo).num("e1", hi).num("mu0", f.postA() + f.postB() * (lo - f.edgeRefEv()))
                    .num("mu1", f.postA() + f.postB() * (hi - f.edgeRefEv())).end();
        }
        j.end();
    }

    /**
     * The spectrum of a region, in full-resolution pixel coordinates {@code [x0, x1) × [y0, y1)}: per
     * stored energy image the mean (and spread) of the valid pixels overlapping the region, the
     * viewer-side fit, and the processor's map values there. Null if the scan is unknown.
     */
    public String spectrumJson(String scanId, int x0, int y0, int x1, int y1) {
        List<MapView> imgs;
        List<Double> energies = new ArrayList<>();
        List<MapView> maps;
        MapView mask;
        String element;
        double edgeEv;
        synchronized (this) {
            ScanState s = scans.get(scanId);
            if (s == null) {
                return null;
            }
            imgs = new ArrayList<>(s.images.size());
            for (Map.Entry<Integer, MapView> en : s.images.entrySet()) {
                imgs.add(en.getValue());
                energies.add(s.imageEnergyEv(en.getKey()));
            }
            maps = s.shownMaps();
            mask = s.map("mask");
            element = s.element;
            edgeEv = s.edgeEv;
        }
        if (x1 <= x0) {
            x1 = x0 + 1;
        }
        if (y1 <= y0) {
            y1 = y0 + 1;
        }
        int n = imgs.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(energies.get(a), energies.get(b)));
        double[] e = new double[n], mu = new double[n], sd = new double[n], cnt = new double[n];
        for (int k = 0; k < n; k++) {
            MapView img = imgs.get(order[k]);
            e[k] = energies.get(order[k]);
            double[] r = regionMean(img, null, x0, y0, x1, y1);
            mu[k] = r[0];
            sd[k] = r[1];
            cnt[k] = r[2];
        }
        SpectrumFit fit = SpectrumFit.fit(e, mu, SpectrumFit.windows(element, edgeEv));
        JsonOut j = new JsonOut().begin();
        j.str("type", "spectrum").str("scan", scanId).num("x0", x0).num("y0", y0).num("x1", x1).num("y1", y1)
                .floats("energyEv", e, n).floats("mu", mu, n).floats("muStd", sd, n).floats("pixels", cnt, n);
        writeFit(j, "fit", fit, e);
        j.begin("maps");
        for (MapView m : maps) {
            double[] r = regionMean(m, null, x0, y0, x1, y1);
            j.num(m.name(), r[0]);
        }
        j.end();
        if (mask != null) {
            j.num("maskFraction", regionMean(mask, null, x0, y0, x1, y1)[0]);
        }
        return j.end().done();
    }

    /** {mean, std, count} of finite stored pixels overlapping the full-resolution region. */
    static double[] regionMean(MapView m, MapView mask, int x0, int y0, int x1, int y1) {
        int s = m.scale();
        int sx0 = Math.max(0, Math.floorDiv(x0, s));
        int sy0 = Math.max(0, Math.floorDiv(y0, s));
        int sx1 = Math.min(m.width(), Math.floorDiv(x1 - 1, s) + 1);
        int sy1 = Math.min(m.height(), Math.floorDiv(y1 - 1, s) + 1);
        double sum = 0, ss = 0;
        long c = 0;
        float[] v = m.values();
        for (int y = sy0; y < sy1; y++) {
            for (int x = sx0; x < sx1; x++) {
                int i = y * m.width() + x;
                if (mask != null ? MapView.trusted(mask, m, i) : Float.isFinite(v[i])) {
                    sum += v[i];
                    ss += (double) v[i] * v[i];
                    c++;
                }
            }
        }
        if (c == 0) {
            return new double[]{Double.NaN, Double.NaN, 0};
        }
        double mean = sum / c;
        double var = c > 1 ? Math.max(0, (ss - c * mean * mean) / (c - 1)) : 0;
        return new double[]{mean, Math.sqrt(var), c};
    }

    /** The element preset windows of a scan (null if unknown), for callers that fit spectra. */
    synchronized ElementPreset windows(String scanId) {
        ScanState s = scans.get(scanId);
        return s == null ? null : SpectrumFit.windows(s.element, s.edgeEv);
    }
}
