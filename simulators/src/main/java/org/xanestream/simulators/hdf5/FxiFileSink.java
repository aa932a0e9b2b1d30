package org.xanestream.simulators.hdf5;

import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.simulators.sink.FrameSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link FrameSink} that turns a raw frame stream — darks, then per energy sample frames and flats, as
 * the simulator and FXI's {@code xanes_scan2} produce them — into one FXI file per scan, the way the
 * beamline's own processing does: per energy the mean sample Ī and mean flat F̄, the mean dark D̄, and
 * {@code /img_xanes} = (Ī − D̄) / (F̄ − D̄) (NaN where F̄ − D̄ ≤ 0), {@code /img_bkg} = F̄,
 * {@code /img_dark} = D̄. Replaying the file in raw mode therefore sends exactly those means.
 *
 * <p>Frames of one energy are the consecutive sample/flat frames whose energies agree within
 * {@link #ENERGY_TOLERANCE_EV}. An energy without a flat borrows the flat of the nearest energy that has
 * one; a scan without darks or without any flat, or with a frame kind or size the layout cannot hold,
 * fails with an {@link IOException} naming the problem. Writing happens at {@link #endScan}, atomically
 * (see {@link FxiFileWriter}).
 *
 * <p>Not thread safe (the generating thread). Memory: the whole scan is held until its end, 8 bytes per
 * pixel per energy (jHDF writes whole datasets only); each frame is summed into preallocated float
 * accumulators (exact for uint16 frames: sums stay below 2^24 for up to 256 frames per energy).
 */
public final class FxiFileSink implements FrameSink {
    /** Frames whose energies differ by at most this belong to the same energy. */
    public static final double ENERGY_TOLERANCE_EV = 0.05;

    /**
     * What the files record besides the images.
     *
     * @param note          free text ({@code /note})
     * @param magnification objective magnification ({@code /Magnification})
     * @param pixelSizeNm   pixel size at the sample, nm ({@code /Pixel Size}, written as text like {@code "21.6nm"})
     */
    public record Metadata(String note, double magnification, double pixelSizeNm) {
        /** Pixel pitch of the FXI cameras (Andor Neo/Marana, Photometrics Kinetix), µm. */
        public static final double CAMERA_PIXEL_UM = 6.5;

        /** Metadata of a detector with {@link #CAMERA_PIXEL_UM} pixels seeing {@code pixelSizeUm} at the sample. */
        public static Metadata ofPixelSizeUm(String note, double pixelSizeUm) {
            return new Metadata(note, CAMERA_PIXEL_UM / pixelSizeUm, pixelSizeUm * 1000.0);
        }

        public Metadata {
            note = note == null ? "" : note;
            if (!(magnification > 0) || !Double.isFinite(magnification)) {
                throw new IllegalArgumentException("magnification must be > 0, got " + magnification);
            }
            if (!(pixelSizeNm > 0) || !Double.isFinite(pixelSizeNm)) {
                throw new IllegalArgumentException("pixelSizeNm must be > 0, got " + pixelSizeNm);
            }
        }
    }

    private final Function<String, Path> targets;
    private final Metadata metadata;
    private final FxiFileWriter writer;
    private final List<Path> written = new ArrayList<>();

    // The open scan (null scanId = none).
    private String scanId;
    private int width;
    private int height;
    private float[] darkSum;
    private int darks;
    private final List<Double> energiesEv = new ArrayList<>();
    private final List<float[][]> sampleMeans = new ArrayList<>();
    private final List<float[][]> flatMeans = new ArrayList<>();
    private double energyEv = Double.NaN;
    private float[] sampleSum;
    private float[] flatSum;
    private int samples;
    private int flats;

    /**
     * @param targets  the file of each scan id (e.g. {@code id -> dir.resolve(id + ".h5")})
     * @param metadata written into every file
     * @param compress write the stacks chunked (one image per chunk) with shuffle + deflate
     */
    public FxiFileSink(Function<String, Path> targets, Metadata metadata, boolean compress) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.writer = new FxiFileWriter(compress);
    }

    /** The files written so far, in order. */
    public List<Path> written() {
        return Collections.unmodifiableList(written);
    }

    @Override
    public void beginScan(String id, int w, int h, PixelType pixelType) throws IOException {
        if (scanId != null) {
            throw new IOException("FXI sink: scan " + id + " begins while scan " + scanId + " is still open");
        }
        if (pixelType != PixelType.UINT16 && pixelType != PixelType.FLOAT32) {
            throw new IOException("FXI sink: pixel type " + pixelType.wireName() + " is not supported (uint16, float32)");
        }
        scanId = Objects.requireNonNull(id, "scanId");
        width = w;
        height = h;
        int px = Math.multiplyExact(w, h);
        if (darkSum == null || darkSum.length != px) {
            darkSum = new float[px];
            sampleSum = new float[px];
            flatSum = new float[px];
        }
        java.util.Arrays.fill(darkSum, 0f);
        darks = 0;
        energiesEv.clear();
        sampleMeans.clear();
        flatMeans.clear();
        startEnergy(Double.NaN);
    }

    @Override
    public void sendFrame(FrameHeader header, ByteBuffer pixels) throws IOException {
        if (scanId == null) {
            throw new IOException("FXI sink: frame " + header.frameNumber() + " arrived outside a scan");
        }
        if (header.width() != width || header.height() != height) {
            throw new IOException("FXI sink: frame " + header.frameNumber() + " is " + header.width() + "x"
                    + header.height() + ", the scan is " + width + "x" + height);
        }
        FrameKind kind = header.kind();
        if (kind == FrameKind.DARK) {
            add(header.pixelType(), pixels, darkSum);
            darks++;
            return;
        }
        if (kind != FrameKind.SAMPLE && kind != FrameKind.FLAT) {
            throw new IOException("FXI sink: frame kind " + kind + " cannot be written to the FXI layout (raw frames only)");
        }
        double e = header.energyEv();
        if (!Double.isFinite(e)) {
            throw new IOException("FXI sink: " + kind + " frame " + header.frameNumber() + " has no energy");
        }
        if (!(Math.abs(e - energyEv) <= ENERGY_TOLERANCE_EV)) {
            closeEnergy();
            startEnergy(e);
        }
        if (kind == FrameKind.SAMPLE) {
            add(header.pixelType(), pixels, sampleSum);
            samples++;
        } else {
            add(header.pixelType(), pixels, flatSum);
            flats++;
        }
    }

    private static void add(PixelType type, ByteBuffer px, float[] sum) {
        ByteBuffer b = px.order() == ByteOrder.LITTLE_ENDIAN ? px : px.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (type == PixelType.UINT16) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b.getShort(2 * i) & 0xFFFF;
            }
        } else {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b.getFloat(4 * i);
            }
        }
    }

    private void startEnergy(double e) {
        energyEv = e;
        java.util.Arrays.fill(sampleSum, 0f);
        java.util.Arrays.fill(flatSum, 0f);
        samples = 0;
        flats = 0;
    }

    /** Stores the means of the energy that is open (if it had sample frames). */
    private void closeEnergy() {
        if (samples == 0) {
            return; // nothing was sent at this energy but flats: there is no image to normalize
        }
        energiesEv.add(energyEv);
        sampleMeans.add(meanRows(sampleSum, samples));
        flatMeans.add(flats > 0 ? meanRows(flatSum, flats) : null);
    }

    private float[][] meanRows(float[] sum, int count) {
        float[][] rows = new float[height][width];
        for (int y = 0; y < height; y++) {
            float[] row = rows[y];
            int off = y * width;
            for (int x = 0; x < width; x++) {
                row[x] = sum[off + x] / count;
            }
        }
        return rows;
    }

    @Override
    public void endScan(String id) throws IOException {
        if (scanId == null || !scanId.equals(id)) {
            throw new IOException("FXI sink: end of scan " + id + " but the open scan is " + scanId);
        }
        String done = scanId;
        try {
            closeEnergy();
            if (energiesEv.isEmpty()) {
                throw new IOException("FXI sink: scan " + done + " has no sample frames");
            }
            if (darks == 0) {
                throw new IOException("FXI sink: scan " + done + " has no dark frames; the FXI layout needs /img_dark");
            }
            fillMissingFlats(done);
            int n = energiesEv.size();
            float[][] dark = meanRows(darkSum, darks);
            float[][][] transmission = new float[n][][];
            float[][][] flatStack = new float[n][][];
            double[] ev = new double[n];
            for (int k = 0; k < n; k++) {
                ev[k] = energiesEv.get(k);
                float[][] s = sampleMeans.get(k);
                float[][] f = flatMeans.get(k);
                for (int y = 0; y < height; y++) {
                    float[] sr = s[y];
                    float[] fr = f[y];
                    float[] dr = dark[y];
                    for (int x = 0; x < width; x++) {
                        float den = fr[x] - dr[x];
                        sr[x] = den > 0 ? (sr[x] - dr[x]) / den : Float.NaN; // in place: the sample mean becomes T
                    }
                }
                transmission[k] = s;
                flatStack[k] = f;
            }
            Path target = targets.apply(done);
            writer.writeRows(done, ev, transmission, flatStack, new float[][][] {dark}, metadata.note(),
                    metadata.magnification(), metadata.pixelSizeNm(), target);
            written.add(target);
        } finally {
            close(); // the scan is written or dropped either way
        }
    }

    private void fillMissingFlats(String id) throws IOException {
        int n = flatMeans.size();
        boolean any = false;
        for (float[][] f : flatMeans) {
            any |= f != null;
        }
        if (!any) {
            throw new IOException("FXI sink: scan " + id + " has no flat frames; the FXI layout needs one flat per energy");
        }
        float[][][] filled = new float[n][][];
        for (int k = 0; k < n; k++) {
            if (flatMeans.get(k) != null) {
                filled[k] = flatMeans.get(k);
                continue;
            }
            int best = -1;
            for (int j = 0; j < n; j++) {
                if (flatMeans.get(j) != null && (best < 0
                        || Math.abs(energiesEv.get(j) - energiesEv.get(k)) < Math.abs(energiesEv.get(best) - energiesEv.get(k)))) {
                    best = j;
                }
            }
            filled[k] = flatMeans.get(best);
        }
        for (int k = 0; k < n; k++) {
            flatMeans.set(k, filled[k]);
        }
    }

    /** Drops an open scan without writing it. */
    @Override
    public void close() {
        scanId = null;
        energiesEv.clear();
        sampleMeans.clear();
        flatMeans.clear();
    }
}
