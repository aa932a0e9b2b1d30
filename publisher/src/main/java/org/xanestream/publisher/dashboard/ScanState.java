package org.xanestream.publisher.dashboard;

import org.xanestream.processor.MapSummary;
import org.xanestream.publisher.results.BandRecord;
import org.xanestream.publisher.results.PointRecord;
import org.xanestream.publisher.results.ScanRecord;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the dashboard keeps about one scan. Not thread safe: guarded by the
 * {@link DashboardState} lock; the {@link MapView}s it hands out are immutable.
 */
final class ScanState {
    /** At most this many energy images assemble at once; the oldest pending one is dropped beyond. */
    static final int MAX_PENDING_IMAGES = 4;

    final String scanId;
    final long firstSeenMillis;
    ScanRecord.Type status = ScanRecord.Type.START;
    boolean startSeen;
    String element = "";
    double edgeEv = Double.NaN;
    int width;
    int height;
    List<Double> plannedEv;
    int energiesDone;
    long framesReceived;
    long framesRejected;
    Map<String, MapSummary> summary = Map.of();
    boolean whitelineOnly;
    int seriesIndex = -1;
    long startMillis;
    long lastRecordMillis;
    long lastReceiveMillis;
    double frameRateHz = Double.NaN;
    private long rateTimeMillis = -1;
    private long rateFrames;
    final TreeMap<Integer, PointRecord> points = new TreeMap<>();
    final LinkedHashMap<String, Slot> maps = new LinkedHashMap<>();
    final TreeMap<Integer, MapView> images = new TreeMap<>();
    private final TreeMap<Integer, BandAssembly> pendingImages = new TreeMap<>();
    private final TreeMap<Integer, Double> imageEnergy = new TreeMap<>();
    long revision;
    long droppedBands;

    /** A map's shown version and the version being assembled. */
    static final class Slot {
        MapView shown;
        BandAssembly pending;
    }

    ScanState(String scanId, long nowMillis) {
        this.scanId = scanId;
        this.firstSeenMillis = nowMillis;
        this.startMillis = nowMillis;
    }

    void apply(ScanRecord r, long nowMillis) {
        if (r.type() == ScanRecord.Type.START) {
            startSeen = true;
            startMillis = r.epochMillis();
        } else if (!startSeen && r.epochMillis() < startMillis) {
            startMillis = r.epochMillis();
        }
        // An end is final: a late progress record must not reopen the scan.
        if (status != ScanRecord.Type.END || r.type() == ScanRecord.Type.END) {
            status = r.type();
        }
        if (!r.element().isEmpty()) {
            element = r.element();
        }
        if (Double.isFinite(r.edgeEv())) {
            edgeEv = r.edgeEv();
        }
        if (r.width() > 0 && r.height() > 0) {
            width = r.width();
            height = r.height();
        }
        if (r.energiesPlannedEv() != null) {
            plannedEv = r.energiesPlannedEv();
        }
        energiesDone = Math.max(energiesDone, r.energiesDone());
        if (rateTimeMillis >= 0 && r.epochMillis() > rateTimeMillis && r.framesReceived() >= rateFrames) {
            frameRateHz = 1000.0 * (r.framesReceived() - rateFrames) / (r.epochMillis() - rateTimeMillis);
        }
        if (r.type() == ScanRecord.Type.END && r.epochMillis() > startMillis) {
            frameRateHz = 1000.0 * r.framesReceived() / (r.epochMillis() - startMillis);
        }
        rateTimeMillis = r.epochMillis();
        rateFrames = r.framesReceived();
        framesReceived = Math.max(framesReceived, r.framesReceived());
        framesRejected = Math.max(framesRejected, r.framesRejected());
        if (!r.summary().isEmpty()) {
            summary = r.summary();
        }
        if (r.type() != ScanRecord.Type.START) {
            // Early in a scan the post-edge energies have not arrived yet (whiteline-only); the newest
            // progress or end record says what the current maps use.
            whitelineOnly = r.whitelineOnly();
        }
        if (r.seriesIndex() >= 0) {
            seriesIndex = r.seriesIndex();
        }
        touch(r.epochMillis(), nowMillis);
    }

    void apply(PointRecord p, int maxEnergies, long nowMillis) {
        if (points.size() >= maxEnergies && !points.containsKey(p.index())) {
            points.remove(points.firstKey());
        }
        points.put(p.index(), p);
        energiesDone = Math.max(energiesDone, points.size());
        touch(p.epochMillis(), nowMillis);
    }

    private void touch(long recordMillis, long nowMillis) {
        lastRecordMillis = Math.max(lastRecordMillis, recordMillis);
        lastReceiveMillis = nowMillis;
        revision++;
    }

    /**
     * Adds a map band.
     *
     * @return true if a new version of the map became visible
     */
    boolean applyMap(BandRecord b, DashboardConfig cfg, long nowMillis) {
        lastReceiveMillis = nowMillis;
        Slot slot = maps.get(b.map());
        if (slot == null) {
            if (maps.size() >= cfg.maxMapsPerScan()) {
                droppedBands++;
                return false;
            }
            slot = new Slot();
            maps.put(b.map(), slot);
        }
        long rank = BandAssembly.rank(b.version(), b.finalBand());
        if (slot.shown != null && rank <= slot.shown.rank()) {
            return false;
        }
        if (slot.pending == null || rank > slot.pending.rank()) {
            if (slot.pending != null) {
                droppedBands++;
            }
            slot.pending = new BandAssembly(b.width(), b.height(), b.bin(), b.version(), b.finalBand(),
                    cfg.mapPixelLimit());
        } else if (rank < slot.pending.rank()) {
            return false;
        }
        if (!slot.pending.sameGeometry(b)) {
            droppedBands++;
            return false;
        }
        if (slot.pending.add(b)) {
            BandAssembly a = slot.pending;
            slot.shown = new MapView(scanId, b.map(), a.version, a.finalFlag, a.width, a.height, a.scale(), a.bin,
                    a.values());
            slot.pending = null;
            revision++;
            return true;
        }
        return false;
    }

    /**
     * Adds an image band.
     *
     * @return true if an energy image completed
     */
    boolean applyImage(BandRecord b, DashboardConfig cfg, long nowMillis) {
        lastReceiveMillis = nowMillis;
        int idx = b.energyIndex();
        BandAssembly a = pendingImages.get(idx);
        if (a == null || !a.sameGeometry(b) || BandAssembly.rank(b.version(), b.finalBand()) > a.rank()) {
            if (a != null) {
                droppedBands++;
            }
            if (pendingImages.size() >= MAX_PENDING_IMAGES && !pendingImages.containsKey(idx)) {
                pendingImages.pollFirstEntry();
                droppedBands++;
            }
            a = new BandAssembly(b.width(), b.height(), b.bin(), b.version(), b.finalBand(), cfg.imagePixelLimit());
            pendingImages.put(idx, a);
        }
        if (!a.add(b)) {
            return false;
        }
        pendingImages.remove(idx);
        if (images.size() >= cfg.maxEnergiesPerScan() && !images.containsKey(idx)) {
            images.remove(images.firstKey());
        }
        images.put(idx, new MapView(scanId, "mu", b.version(), b.finalBand(), a.width, a.height, a.scale(), a.bin,
                a.values()));
        imageEnergy.put(idx, b.energyEv());
        revision++;
        return true;
    }

    double imageEnergyEv(int index) {
        Double e = imageEnergy.get(index);
        return e == null ? Double.NaN : e;
    }

    void dropMaps() {
        if (!maps.isEmpty()) {
            maps.clear();
            revision++;
        }
    }

    void dropImages() {
        if (!images.isEmpty() || !pendingImages.isEmpty()) {
            images.clear();
            pendingImages.clear();
            imageEnergy.clear();
            revision++;
        }
    }

    MapView map(String name) {
        Slot s = maps.get(name);
        return s == null ? null : s.shown;
    }

    List<MapView> shownMaps() {
        List<MapView> out = new ArrayList<>(maps.size());
        for (Slot s : maps.values()) {
            if (s.shown != null) {
                out.add(s.shown);
            }
        }
        return out;
    }

    /** Bytes of pixel data held. */
    long pixelBytes() {
        long b = 0;
        for (Slot s : maps.values()) {
            if (s.shown != null) {
                b += 4L * s.shown.values().length;
            }
            if (s.pending != null) {
                b += s.pending.bytes();
            }
        }
        for (MapView v : images.values()) {
            b += 4L * v.values().length;
        }
        for (Iterator<BandAssembly> it = pendingImages.values().iterator(); it.hasNext(); ) {
            b += it.next().bytes();
        }
        return b;
    }

    /** Energies and mean mu of the completed points, sorted by energy. */
    double[][] meanSpectrum() {
        List<PointRecord> ps = new ArrayList<>(points.values());
        ps.sort((a, c) -> Double.compare(a.energyEv(), c.energyEv()));
        double[] e = new double[ps.size()];
        double[] mu = new double[ps.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = ps.get(i).energyEv();
            mu[i] = ps.get(i).meanMu();
        }
        return new double[][]{e, mu};
    }
}
