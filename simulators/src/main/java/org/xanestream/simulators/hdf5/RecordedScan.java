package org.xanestream.simulators.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;

import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A recorded 2D XANES scan opened from an HDF5 file. Images are read one at a time (a 2048×2048×100
 * stack is 1.6 GB: never loaded whole), as float32 row-major arrays.
 *
 * <p>Not thread safe. Each read allocates the returned image (replay is I/O bound, not a hot path).
 */
public final class RecordedScan implements AutoCloseable {
    private final Path path;
    private final HdfFile file;
    private final ScanLayout layout;
    private final Dataset samples;
    private final Dataset flats;
    private final Dataset darks;
    private final double[] energiesEv;
    private final int width;
    private final int height;
    private final String scanId;

    private RecordedScan(Path path, HdfFile file, ScanLayout layout, Dataset samples, Dataset flats, Dataset darks,
                         double[] energiesEv, String scanId) throws Hdf5ScanException {
        this.path = path;
        this.file = file;
        this.layout = layout;
        this.samples = samples;
        this.flats = flats;
        this.darks = darks;
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
        return dims3(darks)[0];
    }

    /** Number of flat images (FXI: one per energy; DXchange: any number). */
    public int flatCount() {
        return dims3(flats)[0];
    }

    /** Sample image {@code e}: FXI transmission, DXchange raw counts. */
    public float[] sample(int e) {
        return slice(samples, e);
    }

    /** Flat image {@code i}. */
    public float[] flat(int i) {
        return slice(flats, i);
    }

    /** Dark image {@code i}. */
    public float[] dark(int i) {
        return slice(darks, i);
    }

    /** Text attribute or scalar dataset at {@code p} (e.g. {@code /note}, {@code /Pixel Size}), or null. */
    public String text(String p) {
        return scalarText(file, p);
    }

    private float[] slice(Dataset d, int index) {
        int[] dims = dims3(d);
        if (index < 0 || index >= dims[0]) {
            throw new IndexOutOfBoundsException(d.getPath() + " has " + dims[0] + " images, asked for " + index);
        }
        Object data = d.getDimensions().length == 2 ? d.getData()
                : d.getData(new long[] {index, 0, 0}, new int[] {1, dims[1], dims[2]});
        float[] out = new float[dims[1] * dims[2]];
        Object rows = data.getClass().getComponentType().isArray()
                && Array.get(data, 0).getClass().getComponentType().isArray() ? Array.get(data, 0) : data;
        for (int y = 0; y < dims[1]; y++) {
            copyRow(Array.get(rows, y), out, y * dims[2], dims[2]);
        }
        return out;
    }

    private static void copyRow(Object row, float[] out, int off, int n) {
        if (row instanceof float[] r) {
            System.arraycopy(r, 0, out, off, n);
        } else if (row instanceof double[] r) {
            for (int x = 0; x < n; x++) out[off + x] = (float) r[x];
        } else if (row instanceof short[] r) {
            // HDF5 uint16 arrives as int[] from jHDF; short[] means signed int16.
            for (int x = 0; x < n; x++) out[off + x] = r[x];
        } else if (row instanceof int[] r) {
            for (int x = 0; x < n; x++) out[off + x] = r[x];
        } else if (row instanceof long[] r) {
            for (int x = 0; x < n; x++) out[off + x] = r[x];
        } else if (row instanceof byte[] r) {
            for (int x = 0; x < n; x++) out[off + x] = r[x];
        } else {
            throw new IllegalStateException("unsupported HDF5 element type " + row.getClass().getComponentType());
        }
    }

    /** Reads attribute {@code name} of the root group as text, or null. */
    public String rootAttribute(String name) {
        Attribute a = file.getAttribute(name);
        return a == null ? null : String.valueOf(a.getData());
    }

    @Override
    public void close() {
        file.close();
    }
}
