package org.xanestream.simulators.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A recorded 2D XANES scan opened from an HDF5 file. Images are read one at a time (a 2048×2048×100
 * stack is 1.6 GB: never loaded whole), as float32 row-major arrays.
 *
 * <p>Not thread safe. {@link #sample(int)} and its siblings allocate the returned image; {@link #readSample}
 * and its siblings fill the caller's array and, for contiguous datasets, allocate nothing (see
 * {@link ImageStack} for the read paths).
 */
public final class RecordedScan implements AutoCloseable {
    private final Path path;
    private final HdfFile file;
    private final ScanLayout layout;
    private final FileChannel channel;
    private final ImageStack samples;
    private final ImageStack flats;
    private final ImageStack darks;
    private final double[] energiesEv;
    private final int width;
    private final int height;
    private final String scanId;

    private RecordedScan(Path path, HdfFile file, ScanLayout layout, Dataset samples, Dataset flats, Dataset darks,
                         double[] energiesEv, String scanId) throws Hdf5ScanException {
        this.path = path;
        this.file = file;
        this.layout = layout;
        try {
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new Hdf5ScanException(path + ": cannot open for reading (" + e.getMessage() + ")", e);
        }
        this.samples = new ImageStack(samples, channel);
        this.flats = new ImageStack(flats, channel);
        this.darks = new ImageStack(darks, channel);
        // Read one image of each stack now: an unsupported compression filter or a truncated file is then
        // reported before anything is sent, not halfway through a replay.
        float[] probe = new float[this.samples.width() * this.samples.height()];
        for (ImageStack stack : new ImageStack[] {this.samples, this.flats, this.darks}) {
            try {
                stack.read(0, probe);
            } catch (RuntimeException e) {
                closeChannel();
                throw new Hdf5ScanException(path + ": cannot read " + stack.name() + " (" + e.getMessage() + ")", e);
            }
        }
        this.energiesEv = energiesEv;
        int[] sd = dims3(samples);
        this.height = sd[1];
        this.width = sd[2];
        this.scanId = scanId;
    }

    /**
     * Opens a file, detecting its layout, and validates it.
     *
     * @throws Hdf5ScanException naming the file and the dataset if something needed is missing,
     *                           shapes disagree or energies are not finite
     */
    public static RecordedScan open(Path path) throws Hdf5ScanException {
        if (!Files.isRegularFile(path)) {
            throw new Hdf5ScanException(path + ": no such file");
        }
        HdfFile f;
        try {
            f = new HdfFile(path);
        } catch (RuntimeException e) {
            throw new Hdf5ScanException(path + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
        try {
            RecordedScan scan;
            if (exists(f, "/img_xanes")) {
                scan = openFxi(path, f);
            } else if (exists(f, "/exchange/data")) {
                scan = openDxchange(path, f);
            } else {
                throw new Hdf5ScanException(path + ": neither an FXI file (no /img_xanes) nor a DXchange file"
                        + " (no /exchange/data)");
            }
            return scan;
        } catch (Hdf5ScanException | RuntimeException e) {
            f.close();
            if (e instanceof Hdf5ScanException h) {
                throw h;
            }
            throw new Hdf5ScanException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static RecordedScan openFxi(Path path, HdfFile f) throws Hdf5ScanException {
        Dataset xanes = dataset(path, f, "/img_xanes");
        Dataset bkg = dataset(path, f, "/img_bkg");
        Dataset dark = dataset(path, f, "/img_dark");
        double[] energies = energiesEv(path, dataset(path, f, "/X_eng"));
        int[] xd = dims3(path, xanes, "/img_xanes");
        int[] bd = dims3(path, bkg, "/img_bkg");
        int[] dd = dims3(path, dark, "/img_dark");
        if (xd[0] != energies.length) {
            throw new Hdf5ScanException(path + ": /img_xanes has " + xd[0] + " images but /X_eng has "
                    + energies.length + " energies");
        }
        if (bd[0] != xd[0] || bd[1] != xd[1] || bd[2] != xd[2]) {
            throw new Hdf5ScanException(path + ": /img_bkg shape " + Arrays.toString(bd)
                    + " does not match /img_xanes " + Arrays.toString(xd));
        }
        if (dd[0] < 1 || dd[1] != xd[1] || dd[2] != xd[2]) {
            throw new Hdf5ScanException(path + ": /img_dark shape " + Arrays.toString(dd)
                    + " does not match the images " + xd[1] + "x" + xd[2]);
        }
        String id = scalarText(f, "/scan_id");
        return new RecordedScan(path, f, ScanLayout.FXI, xanes, bkg, dark, energies,
                id == null ? stem(path) : id);
    }

    private static RecordedScan openDxchange(Path path, HdfFile f) throws Hdf5ScanException {
        Dataset data = dataset(path, f, "/exchange/data");
        Dataset white = dataset(path, f, "/exchange/data_white");
        Dataset dark = dataset(path, f, "/exchange/data_dark");
        double[] energies = energiesEv(path, dataset(path, f, "/exchange/energy"));
        int[] xd = dims3(path, data, "/exchange/data");
        int[] wd = dims3(path, white, "/exchange/data_white");
        int[] dd = dims3(path, dark, "/exchange/data_dark");
        if (xd[0] != energies.length) {
            throw new Hdf5ScanException(path + ": /exchange/data has " + xd[0] + " images but /exchange/energy has "
                    + energies.length + " energies");
        }
        if (wd[0] < 1 || wd[1] != xd[1] || wd[2] != xd[2]) {
            throw new Hdf5ScanException(path + ": /exchange/data_white shape " + Arrays.toString(wd)
                    + " does not match /exchange/data " + Arrays.toString(xd));
        }
        if (dd[0] < 1 || dd[1] != xd[1] || dd[2] != xd[2]) {
            throw new Hdf5ScanException(path + ": /exchange/data_dark shape " + Arrays.toString(dd)
                    + " does not match /exchange/data " + Arrays.toString(xd));
        }
        return new RecordedScan(path, f, ScanLayout.DXCHANGE, data, white, dark, energies, stem(path));
    }

    private static boolean exists(HdfFile f, String p) {
        try {
            f.getByPath(p);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Dataset dataset(Path path, HdfFile f, String p) throws Hdf5ScanException {
        Node n;
        try {
            n = f.getByPath(p);
        } catch (RuntimeException e) {
            throw new Hdf5ScanException(path + ": missing dataset " + p);
        }
        if (!(n instanceof Dataset d)) {
            throw new Hdf5ScanException(path + ": " + p + " is not a dataset");
        }
        return d;
    }

    private static int[] dims3(Dataset d) {
        int[] dims = d.getDimensions();
        return dims.length == 2 ? new int[] {1, dims[0], dims[1]} : dims;
    }

    private static int[] dims3(Path path, Dataset d, String name) throws Hdf5ScanException {
        int[] dims = d.getDimensions();
        if (dims.length != 3 && dims.length != 2) {
            throw new Hdf5ScanException(path + ": " + name + " must be 3-dimensional (n, ny, nx), has shape "
                    + Arrays.toString(dims));
        }
        int[] d3 = dims3(d);
        if (d3[1] <= 0 || d3[2] <= 0) {
            throw new Hdf5ScanException(path + ": " + name + " has an empty image shape " + Arrays.toString(dims));
        }
        return d3;
    }

    private static double[] energiesEv(Path path, Dataset d) throws Hdf5ScanException {
        Object data = d.getDataFlat();
        int n = Array.getLength(data);
        if (n == 0) {
            throw new Hdf5ScanException(path + ": " + d.getPath() + " holds no energies");
        }
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            double v = ((Number) Array.get(data, i)).doubleValue();
            if (!Double.isFinite(v) || v <= 0) {
                throw new Hdf5ScanException(path + ": " + d.getPath() + "[" + i + "] = " + v
                        + " is not a finite positive energy");
            }
            ev[i] = v < 100 ? v * 1000.0 : v;
        }
        return ev;
    }

    private static String scalarText(HdfFile f, String p) {
        if (!exists(f, p)) {
            return null;
        }
        Object v = ((Dataset) f.getByPath(p)).getData();
        if (v != null && v.getClass().isArray()) {
            v = Array.getLength(v) > 0 ? Array.get(v, 0) : null;
        }
        if (v == null) {
            return null;
        }
        if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
            return Long.toString(num.longValue());
        }
        return v.toString();
    }

    private static String stem(Path path) {
        String n = path.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    public Path path() {
        return path;
    }

    public ScanLayout layout() {
        return layout;
    }

    /** Scan id: FXI {@code /scan_id} if present, else the file name without extension. */
    public String scanId() {
        return scanId;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int energyCount() {
        return energiesEv.length;
    }

    /** Energies in eV, in file order (a copy). */
    public double[] energiesEv() {
        return energiesEv.clone();
    }

    /** True if the sample images are already normalized transmission (FXI). */
    public boolean preNormalized() {
        return layout == ScanLayout.FXI;
    }

    /** Number of dark images. */
    public int darkCount() {
        return darks.count();
    }

    /** Number of flat images (FXI: one per energy; DXchange: any number). */
    public int flatCount() {
        return flats.count();
    }

    /** Sample image {@code e} (a new array): FXI transmission, DXchange raw counts. */
    public float[] sample(int e) {
        float[] out = new float[width * height];
        samples.read(e, out);
        return out;
    }

    /** Flat image {@code i} (a new array). */
    public float[] flat(int i) {
        float[] out = new float[width * height];
        flats.read(i, out);
        return out;
    }

    /** Dark image {@code i} (a new array). */
    public float[] dark(int i) {
        float[] out = new float[width * height];
        darks.read(i, out);
        return out;
    }

    /**
     * Reads sample image {@code e} into {@code out} (width·height pixels, row-major); allocates nothing
     * when the dataset is stored contiguously.
     *
     * @throws IndexOutOfBoundsException if {@code e} is not an image of the file
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public void readSample(int e, float[] out) {
        samples.read(e, out);
    }

    /** Reads flat image {@code i} into {@code out} (see {@link #readSample}). */
    public void readFlat(int i, float[] out) {
        flats.read(i, out);
    }

    /** Reads dark image {@code i} into {@code out} (see {@link #readSample}). */
    public void readDark(int i, float[] out) {
        darks.read(i, out);
    }

    /** How the sample images are read: {@code contiguous}, {@code chunk-per-image} or {@code general}. */
    public String sampleReadPath() {
        return samples.path();
    }

    /** Text attribute or scalar dataset at {@code p} (e.g. {@code /note}, {@code /Pixel Size}), or null. */
    public String text(String p) {
        return scalarText(file, p);
    }

    /** Reads attribute {@code name} of the root group as text, or null. */
    public String rootAttribute(String name) {
        Attribute a = file.getAttribute(name);
        return a == null ? null : String.valueOf(a.getData());
    }

    @Override
    public void close() {
        closeChannel();
        file.close();
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            // read-only channel: nothing to lose
        }
    }
}
