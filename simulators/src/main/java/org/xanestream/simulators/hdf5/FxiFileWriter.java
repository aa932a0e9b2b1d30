package org.xanestream.simulators.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Writes a 2D XANES scan in the NSLS-II FXI layout, so replay has realistic inputs and users can try the
 * offline tools (TXM_Sandbox, PyXAS) on the same data.
 *
 * <p>Datasets: {@code /img_xanes} float32 (n_energy, ny, nx) transmission (I−D)/(F−D), {@code /img_bkg}
 * float32 (n_energy, ny, nx) one flat per energy, {@code /img_dark} float32 (1, ny, nx), {@code /X_eng}
 * float64 keV, {@code /scan_id}, {@code /note}, {@code /Magnification}, {@code /Pixel Size}
 * (text such as {@code "21.6nm"}). The file is written to a temporary name and renamed, so a crash never
 * leaves a half file under the final name.
 *
 * <p>jHDF writes whole datasets from Java arrays, so the whole scan is held in memory while writing:
 * 8 bytes per pixel per energy (transmission and flat), e.g. 0.5 GB for 1024×1024×60, 2 GB for
 * 2048×2048×60. {@link #write(FxiScan, Path)} copies the flat images into row arrays once more;
 * {@link FxiFileSink} builds the row arrays directly. Not thread safe.
 */
public final class FxiFileWriter {

    /**
     * One scan to write.
     *
     * @param scanId         scan id (written as {@code /scan_id} text)
     * @param energiesEv     energies, eV
     * @param width          nx
     * @param height         ny
     * @param transmission   per energy the normalized transmission image, row-major; not modified
     * @param flats          per energy the flat (counts), row-major; not modified
     * @param dark           the dark image (counts); not modified
     * @param note           free text
     * @param magnification  objective magnification
     * @param pixelSizeNm    pixel size in nm
     */
    public record FxiScan(String scanId, double[] energiesEv, int width, int height, List<float[]> transmission,
                          List<float[]> flats, float[] dark, String note, double magnification, double pixelSizeNm) {
        public FxiScan {
            Objects.requireNonNull(scanId, "scanId");
            int n = energiesEv.length;
            if (n == 0) {
                throw new IllegalArgumentException("an FXI scan needs at least one energy");
            }
            if (transmission.size() != n || flats.size() != n) {
                throw new IllegalArgumentException("need one transmission and one flat image per energy: " + n
                        + " energies, " + transmission.size() + " images, " + flats.size() + " flats");
            }
            int px = width * height;
            for (int i = 0; i < n; i++) {
                if (transmission.get(i).length != px || flats.get(i).length != px) {
                    throw new IllegalArgumentException("image " + i + " does not have " + width + "x" + height + " pixels");
                }
            }
            if (dark.length != px) {
                throw new IllegalArgumentException("dark image does not have " + width + "x" + height + " pixels");
            }
            note = note == null ? "" : note;
        }
    }

    private final boolean compress;

    /** @param compress write the image stacks chunked (one image per chunk) with shuffle + deflate */
    public FxiFileWriter(boolean compress) {
        this.compress = compress;
    }

    /** Writes {@code scan} to {@code target} atomically. */
    public void write(FxiScan scan, Path target) throws IOException {
        writeRows(scan.scanId(), scan.energiesEv(), stack(scan.transmission(), scan.width(), scan.height()),
                stack(scan.flats(), scan.width(), scan.height()),
                stack(List.of(scan.dark()), scan.width(), scan.height()), scan.note(), scan.magnification(),
                scan.pixelSizeNm(), target);
    }

    /**
     * Writes stacks already held as row arrays ({@code [image][y][x]}; jHDF's input form, so no copy is
     * made) to {@code target} atomically. Shapes are checked by the callers ({@link FxiScan}, {@link FxiFileSink}).
     */
    void writeRows(String scanId, double[] energiesEv, float[][][] transmission, float[][][] flats, float[][][] dark,
                   String note, double magnification, double pixelSizeNm, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (WritableHdfFile f = HdfFile.write(tmp)) {
                int n = energiesEv.length;
                int height = transmission[0].length;
                int width = transmission[0][0].length;
                DatasetCreationOptions opts = compress
                        ? DatasetCreationOptions.builder().chunkDimensions(1, height, width).shuffle().deflate(4).build()
                        : DatasetCreationOptions.DEFAULT;
                f.putDataset("img_xanes", transmission, opts);
                f.putDataset("img_bkg", flats, opts);
                f.putDataset("img_dark", dark, opts);
                double[] kev = new double[n];
                for (int i = 0; i < n; i++) {
                    kev[i] = energiesEv[i] / 1000.0;
                }
                f.putDataset("X_eng", kev);
                f.putDataset("scan_id", scanId);
                f.putDataset("note", note == null ? "" : note);
                f.putDataset("Magnification", magnification);
                f.putDataset("Pixel Size", formatNm(pixelSizeNm));
                f.putAttribute("writer", "xanestream");
            }
            Files.move(tmp, target.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@code 21.6 → "21.6nm"}, {@code 40.0 → "40nm"} (to 0.001 nm, as FXI writes it). */
    static String formatNm(double nm) {
        return java.math.BigDecimal.valueOf(Math.round(nm * 1000) / 1000.0).stripTrailingZeros().toPlainString() + "nm";
    }

    static float[][][] stack(List<float[]> images, int width, int height) {
        float[][][] out = new float[images.size()][height][];
        for (int i = 0; i < images.size(); i++) {
            float[] img = images.get(i);
            for (int y = 0; y < height; y++) {
                float[] row = new float[width];
                System.arraycopy(img, y * width, row, 0, width);
                out[i][y] = row;
            }
        }
        return out;
    }
}
