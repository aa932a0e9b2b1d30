package org.xanestream.publisher.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.NormalizationWindows;
import org.xanestream.processor.spectra.ReferenceSpectrum;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes one HDF5 result file per scan at scan end ({@code <outputDir>/<scanId>.h5}).
 *
 * <p>Listener calls come on the processor thread and only record references; the file is written on a
 * single writer thread with a bounded backlog (a scan end arriving while {@code maxPendingScans} files
 * are still being written is counted as failed and logged, never blocking processing). Each file is
 * written to a hidden temporary name in the same directory and atomically renamed, so a crash never
 * leaves a half file under the final name.
 *
 * <p>jHDF writes a dataset from a Java array, so writing the registered stack copies it once into
 * row arrays (n_energy × height rows): transient memory equal to the stack size.
 */
public final class ResultFileWriter implements ProcessorListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultFileWriter.class);

    /**
     * What the file records about how it was made.
     *
     * @param fit             the fit settings (element preset with any overrides, LCF references, whiteline
     *                        order, mask threshold, normalization windows)
     * @param softwareVersion xanestream version
     */
    public record Provenance(FitSettings fit, String softwareVersion) {
        public Provenance {
            Objects.requireNonNull(fit, "fit");
            softwareVersion = softwareVersion == null ? "unknown" : softwareVersion;
        }

        /** Provenance of the default fit settings of {@code preset} with these references. */
        public static Provenance of(ElementPreset preset, List<ReferenceSpectrum> references, String softwareVersion) {
            return new Provenance(FitSettings.defaults(preset).withReferences(references == null ? List.of() : references),
                    softwareVersion);
        }

        public ElementPreset preset() {
            return fit.preset();
        }

        public List<ReferenceSpectrum> references() {
            return fit.references();
        }
    }

    private final Path outputDir;
    private final Provenance provenance;
    private final ThreadPoolExecutor writer;
    private final Map<String, List<EnergyPoint>> points = new HashMap<>(); // processor thread only
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile Consumer<Path> onWritten = p -> { };

    /**
     * @param outputDir       where files go (created if missing)
     * @param provenance      recorded in every file
     * @param maxPendingScans files that may wait to be written at once
     */
    public ResultFileWriter(Path outputDir, Provenance provenance, int maxPendingScans) throws IOException {
        if (maxPendingScans < 1) {
            throw new IllegalArgumentException("maxPendingScans must be >= 1, got " + maxPendingScans);
        }
        this.outputDir = Files.createDirectories(outputDir);
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(maxPendingScans), r -> {
                    Thread t = new Thread(r, "xanes-hdf5-writer");
                    t.setDaemon(false);
                    return t;
                });
    }

    /** Called on the writer thread with each file written. */
    public void setOnWritten(Consumer<Path> callback) {
        this.onWritten = Objects.requireNonNull(callback, "callback");
    }

    public long filesWritten() {
        return written.get();
    }

    public long filesFailed() {
        return failed.get();
    }

    /** The final path of a scan's file. */
    public Path pathFor(String scanId) {
        return outputDir.resolve(safeName(scanId) + ".h5");
    }

    static String safeName(String scanId) {
        String s = scanId.replaceAll("[^A-Za-z0-9_.+-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "scan_" + s : s;
    }

    @Override
    public void onScanStart(ScanInfo scan) {
        points.put(scan.scanId(), new ArrayList<>());
    }

    @Override
    public void onEnergyPoint(EnergyPoint point) {
        points.computeIfAbsent(point.scanId(), k -> new ArrayList<>()).add(point);
    }

    /** Reads no live maps (only the final ones, which are never reused). */
    @Override
    public boolean followsMapsLeases() {
        return true;
    }

    @Override
    public void onScanEnd(ScanEnd end) {
        List<EnergyPoint> scanPoints = points.remove(end.info().scanId());
        if (scanPoints == null || scanPoints.isEmpty() || end.finalMaps() == null) {
            LOG.warn("scan {} ended without energy points or final maps: no result file", end.info().scanId());
            return;
        }
        try {
            writer.execute(() -> writeQuietly(end, scanPoints));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            failed.incrementAndGet();
            LOG.error("result file for scan {} dropped: {} files already waiting to be written",
                    end.info().scanId(), writer.getQueue().size());
        }
    }

    /** Writes synchronously on the caller's thread (tools and tests). */
    public Path write(ScanEnd end, List<EnergyPoint> scanPoints) throws IOException {
        Path target = pathFor(end.info().scanId());
        Path tmp = Files.createTempFile(outputDir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (WritableHdfFile f = HdfFile.write(tmp)) {
                writeContent(f, end, scanPoints);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private void writeQuietly(ScanEnd end, List<EnergyPoint> scanPoints) {
        try {
            Path p = write(end, scanPoints);
            written.incrementAndGet();
            LOG.info("wrote result file {}", p);
            onWritten.accept(p);
        } catch (IOException | RuntimeException e) {
            failed.incrementAndGet();
            LOG.error("could not write the result file of scan {}: {}", end.info().scanId(), e.toString());
        }
    }

    private void writeContent(WritableHdfFile f, ScanEnd end, List<EnergyPoint> scanPoints) {
        MapsSnapshot maps = end.finalMaps();
        ScanInfo info = end.info();
        List<EnergyPoint> sorted = new ArrayList<>(scanPoints);
        sorted.sort(Comparator.comparingDouble(EnergyPoint::energyEv)); // stable: repeats keep arrival order
        int n = sorted.size();
        int w = sorted.get(0).width();
        int h = sorted.get(0).height();

        f.putAttribute("software", "xanestream");
        f.putAttribute("software_version", provenance.softwareVersion());
        f.putAttribute("scan_id", info.scanId());
        f.putAttribute("created", Instant.ofEpochMilli(end.epochMillis()).toString());
        f.putAttribute("element", provenance.preset().element());
        f.putAttribute("whiteline_only", maps.whitelineOnly() ? "true" : "false");
        f.putAttribute("frames_received", end.framesReceived());
        f.putAttribute("frames_rejected", end.framesRejected());

        WritableGroup reg = group(group(f, "registration_results"), "reg_results");
        float[][][] stack = new float[n][h][];
        double[] eng = new double[n];
        double[] dx = new double[n];
        double[] dy = new double[n];
        double[] conf = new double[n];
        for (int i = 0; i < n; i++) {
            EnergyPoint p = sorted.get(i);
            eng[i] = p.energyEv();
            dx[i] = p.driftXPx();
            dy[i] = p.driftYPx();
            conf[i] = p.driftConfidence();
            for (int y = 0; y < h; y++) {
                float[] row = new float[w];
                System.arraycopy(p.alignedMu(), y * w, row, 0, w);
                stack[i][y] = row;
            }
        }
        describe(reg.putDataset("registered_xanes2D", stack), "1",
                "aligned absorbance mu = -ln((I-D)/(F-D)), (energy, y, x), NaN where invalid, energies ascending");
        stack = null;
        describe(reg.putDataset("eng_list", eng), "eV", "photon energy of each registered image");
        describe(reg.putDataset("drift_x_px", dx), "px",
                "measured sample displacement along x (+ = increasing column); the applied correction is the opposite");
        describe(reg.putDataset("drift_y_px", dy), "px",
                "measured sample displacement along y (+ = increasing row); the applied correction is the opposite");
        describe(reg.putDataset("drift_confidence", conf), "1", "confidence of each drift estimate, 0 to 1");

        WritableGroup processed = group(f, "processed_XANES2D");
        WritableGroup spectrum = group(processed, "proc_spectrum");
        for (Map.Entry<String, float[]> m : maps.maps().entrySet()) {
            describe(spectrum.putDataset(m.getKey(), rows(m.getValue(), w, h)), unitOf(m.getKey()),
                    "xanestream map " + m.getKey());
        }
        for (Map.Entry<String, String> alias : ResultFileLayout.TXM_SANDBOX_ALIASES.entrySet()) {
            float[] src = maps.maps().get(alias.getValue());
            if (src != null) {
                describe(spectrum.putDataset(alias.getKey(), rows(src, w, h)), unitOf(alias.getValue()),
                        "TXM_Sandbox name; same values as " + alias.getValue());
            }
        }

        WritableGroup params = group(processed, "proc_parameters");
        ElementPreset preset = provenance.preset();
        params.putDataset("element", preset.element());
        describe(params.putDataset("edge_ev", preset.edgeEv()), "eV", "nominal edge energy");
        describe(params.putDataset("whiteline_window_ev", new double[] {preset.whitelineLoEv(), preset.whitelineHiEv()}),
                "eV", "whiteline fit window [lo, hi]");
        describe(params.putDataset("edge_window_ev", new double[] {preset.edgeLoEv(), preset.edgeHiEv()}),
                "eV", "window searched for the 0.5 crossing [lo, hi]");
        params.putDataset("version", maps.version());
        FitSettings fit = provenance.fit();
        describe(params.putDataset("whiteline_order", fit.whitelineOrder()), "1",
                "polynomial order of the whiteline peak fit (2 quadratic, 3 cubic)");
        describe(params.putDataset("mask_k", fit.maskK()), "1",
                "mask = 1 where edge_jump > mask_k * pre_edge_sd");
        NormalizationWindows nw = fit.windows();
        describe(params.putDataset("normalization_gaps_ev", new double[] {nw.preGapEv(), nw.preWideGapEv(),
                nw.postGapEv(), nw.postWideGapEv()}), "eV",
                "pre-edge window ends edge - gap[0] (widened: gap[1]); post-edge window starts edge + gap[2] (widened: gap[3])");

        // jHDF writes a corrupt file for an empty group next to datasets: only create it when filled.
        if (!provenance.references().isEmpty()) {
            WritableGroup refs = group(processed, "references");
            for (ReferenceSpectrum r : provenance.references()) {
                WritableGroup g = group(refs, r.name());
                describe(g.putDataset("energy_ev", r.energyEv()), "eV", "reference energies");
                describe(g.putDataset("mu", r.mu()), "1", r.normalized() ? "edge-normalized mu" : "mu");
                g.putAttribute("origin", r.origin());
            }
        }
    }

    private static WritableGroup group(WritableGroup parent, String name) {
        return parent.putGroup(name);
    }

    private static void describe(WritableDataset d, String units, String description) {
        d.putAttribute("units", units);
        d.putAttribute("description", description);
    }

    static String unitOf(String map) {
        if (map.endsWith("_ev")) {
            return "eV";
        }
        return "1";
    }

    private static float[][] rows(float[] img, int w, int h) {
        float[][] out = new float[h][];
        for (int y = 0; y < h; y++) {
            float[] row = new float[w];
            System.arraycopy(img, y * w, row, 0, w);
            out[y] = row;
        }
        return out;
    }

    /** Waits for pending files, then stops the writer thread. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.MINUTES)) {
                LOG.error("result files still being written after 5 minutes; giving up");
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** A future completed when every file submitted so far is written (for tests and orderly shutdown). */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            writer.execute(() -> done.complete(null));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(e);
        }
        return done;
    }
}
