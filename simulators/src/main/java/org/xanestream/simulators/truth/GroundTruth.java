package org.xanestream.simulators.truth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xanestream.simulators.SimulatorConfig;

/**
 * The ground truth of a simulated series, as written to and read from a truth directory
 * ({@code truth.json} plus little-endian float32 row-major maps; see {@code docs/simulator-truth.md}).
 *
 * <p>Static maps (one per series): {@value #THICKNESS_UM}, {@value #DENSE_UM}, {@value #EDGE_STEP},
 * {@value #SUPPORT_MU}. Per-scan maps: {@value #FRACTION_OX}, {@value #WHITELINE_DENSE_EV},
 * {@value #EDGE_DENSE_EV}, and, when the DESIGN §4.4 estimators were applied to the noiseless spectra,
 * {@value #WHITELINE_EV}, {@value #WHITELINE_HEIGHT}, {@value #WHITELINE_SIGMA_EV}, {@value #EDGE_EV},
 * {@value #EDGE_JUMP}, {@value #PRE_EDGE_SD}. Maps are in the reference frame (drift removed) and NaN
 * where no particle is.
 *
 * <p>Immutable by convention: the map arrays are shared, do not modify them. Thread safe for reading.
 */
public final class GroundTruth {
    /** Format name in {@code truth.json}. */
    public static final String FORMAT = "xanestream-simulator-truth";
    /** Format version in {@code truth.json}. */
    public static final int VERSION = 1;
    /** File name of the JSON description inside a truth directory. */
    public static final String JSON_FILE = "truth.json";

    public static final String THICKNESS_UM = "thickness_um";
    public static final String DENSE_UM = "dense_um";
    public static final String EDGE_STEP = "edge_step";
    public static final String SUPPORT_MU = "support_mu";
    public static final String FRACTION_OX = "fraction_ox";
    public static final String WHITELINE_DENSE_EV = "whiteline_dense_ev";
    public static final String EDGE_DENSE_EV = "edge_dense_ev";
    public static final String WHITELINE_EV = "whiteline_ev";
    public static final String WHITELINE_HEIGHT = "whiteline_height";
    public static final String WHITELINE_SIGMA_EV = "whiteline_sigma_ev";
    public static final String EDGE_EV = "edge_ev";
    public static final String EDGE_JUMP = "edge_jump";
    public static final String PRE_EDGE_SD = "pre_edge_sd";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The truth of one scan.
     *
     * @param scanId      scan identifier
     * @param index       0-based position in the series
     * @param seriesTime  charging time of the scan, 0..1
     * @param energiesEv  scan energies, eV
     * @param driftXPx    true drift per energy along +x (columns), pixels, relative to the first energy of the series
     * @param driftYPx    likewise along +y (rows)
     * @param maps        map name → float32 row-major pixels
     */
    public record ScanTruth(String scanId, int index, double seriesTime, double[] energiesEv, double[] driftXPx,
                            double[] driftYPx, Map<String, float[]> maps) {
        public ScanTruth {
            Objects.requireNonNull(scanId, "scanId");
            if (energiesEv.length != driftXPx.length || energiesEv.length != driftYPx.length) {
                throw new IllegalArgumentException("scan " + scanId + " has " + energiesEv.length + " energies but "
                        + driftXPx.length + "/" + driftYPx.length + " drift values");
            }
            maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
        }

        /** A map of this scan; throws naming the available maps if absent. */
        public float[] map(String name) {
            float[] m = maps.get(name);
            if (m == null) {
                throw new IllegalArgumentException("scan " + scanId + " has no truth map '" + name + "'; available: "
                        + maps.keySet());
            }
            return m;
        }
    }

    private final int width;
    private final int height;
    private final double pixelSizeUm;
    private final String element;
    private final double edgeEv;
    private final double[] whitelineWindowEv;
    private final double[] edgeWindowEv;
    private final String estimators;
    private final Map<String, float[]> staticMaps;
    private final List<ScanTruth> scans;
    private final JsonNode configJson;

    /**
     * @param estimators     which estimators produced the §4.4 maps (e.g. the class name), or "" if none
     * @param configJson     the simulator configuration as JSON (provenance; may be null)
     */
    public GroundTruth(int width, int height, double pixelSizeUm, String element, double edgeEv,
                       double[] whitelineWindowEv, double[] edgeWindowEv, String estimators,
                       Map<String, float[]> staticMaps, List<ScanTruth> scans, JsonNode configJson) {
        this.width = width;
        this.height = height;
        this.pixelSizeUm = pixelSizeUm;
        this.element = Objects.requireNonNull(element, "element");
        this.edgeEv = edgeEv;
        this.whitelineWindowEv = whitelineWindowEv.clone();
        this.edgeWindowEv = edgeWindowEv.clone();
        this.estimators = estimators == null ? "" : estimators;
        this.staticMaps = Collections.unmodifiableMap(new LinkedHashMap<>(staticMaps));
        this.scans = List.copyOf(scans);
        this.configJson = configJson;
        for (Map.Entry<String, float[]> e : staticMaps.entrySet()) {
            checkSize(e.getKey(), e.getValue());
        }
        for (ScanTruth s : scans) {
            for (Map.Entry<String, float[]> e : s.maps().entrySet()) {
                checkSize(s.scanId() + "/" + e.getKey(), e.getValue());
            }
        }
    }

    private void checkSize(String name, float[] m) {
        if (m.length != width * height) {
            throw new IllegalArgumentException("truth map " + name + " has " + m.length + " pixels, expected "
                    + width + "x" + height);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public double pixelSizeUm() {
        return pixelSizeUm;
    }

    public String element() {
        return element;
    }

    public double edgeEv() {
        return edgeEv;
    }

    /** The whiteline window used, {lo, hi} eV. */
    public double[] whitelineWindowEv() {
        return whitelineWindowEv.clone();
    }

    /** The edge window used, {lo, hi} eV. */
    public double[] edgeWindowEv() {
        return edgeWindowEv.clone();
    }

    /** Which §4.4 estimators produced the estimator maps; empty if only dense truth is present. */
    public String estimators() {
        return estimators;
    }

    /** Static maps (one per series). */
    public Map<String, float[]> staticMaps() {
        return staticMaps;
    }

    /** A static map; throws naming the available maps if absent. */
    public float[] map(String name) {
        float[] m = staticMaps.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no static truth map '" + name + "'; available: " + staticMaps.keySet());
        }
        return m;
    }

    public List<ScanTruth> scans() {
        return scans;
    }

    public ScanTruth scan(int index) {
        return scans.get(index);
    }

    /** The simulator configuration that produced this truth, or null if it was not recorded. */
    public SimulatorConfig config() {
        if (configJson == null || configJson.isNull()) {
            return null;
        }
        try {
            return JSON.treeToValue(configJson, SimulatorConfig.class);
        } catch (IOException e) {
            throw new IllegalStateException("the recorded simulator configuration cannot be read back: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code truth.json} and the maps ({@code <name>.f32}, per scan {@code <scan_id>/<name>.f32})
     * into {@code dir}, creating it if needed.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("width", width);
        root.put("height", height);
        root.put("dtype", "float32");
        root.put("byte_order", "little");
        root.put("layout", "row-major, i = y*width + x, y = row (slow axis)");
        root.put("pixel_size_um", pixelSizeUm);
        root.put("element", element);
        root.put("edge_ev", edgeEv);
        root.putArray("whiteline_window_ev").add(whitelineWindowEv[0]).add(whitelineWindowEv[1]);
        root.putArray("edge_window_ev").add(edgeWindowEv[0]).add(edgeWindowEv[1]);
        root.put("estimators", estimators);
        root.put("drift_convention", "measured displacement of the sample relative to the reference image "
                + "(first energy of the first scan): +x = increasing column, +y = increasing row; the correction is the opposite");
        ObjectNode maps = root.putObject("maps");
        for (Map.Entry<String, float[]> e : staticMaps.entrySet()) {
            String file = e.getKey() + ".f32";
            writeFloats(dir.resolve(file), e.getValue());
            maps.put(e.getKey(), file);
        }
        ArrayNode scanArray = root.putArray("scans");
        for (ScanTruth s : scans) {
            ObjectNode sn = scanArray.addObject();
            sn.put("scan_id", s.scanId());
            sn.put("index", s.index());
            sn.put("series_time", s.seriesTime());
            ArrayNode en = sn.putArray("energies_ev");
            ArrayNode dx = sn.putArray("drift_x_px");
            ArrayNode dy = sn.putArray("drift_y_px");
            for (int k = 0; k < s.energiesEv().length; k++) {
                en.add(s.energiesEv()[k]);
                dx.add(s.driftXPx()[k]);
                dy.add(s.driftYPx()[k]);
            }
            ObjectNode sm = sn.putObject("maps");
            Path scanDir = dir.resolve(s.scanId());
            Files.createDirectories(scanDir);
            for (Map.Entry<String, float[]> e : s.maps().entrySet()) {
                String file = s.scanId() + "/" + e.getKey() + ".f32";
                writeFloats(dir.resolve(file), e.getValue());
                sm.put(e.getKey(), file);
            }
        }
        if (configJson != null) {
            root.set("config", configJson);
        }
        JSON.writeValue(dir.resolve(JSON_FILE).toFile(), root);
    }

    /**
     * Reads a truth directory written by {@link #write}.
     *
     * @throws IOException if a file is missing, the format is unknown, or a map has the wrong size
     */
    public static GroundTruth read(Path dir) throws IOException {
        Path jsonFile = dir.resolve(JSON_FILE);
        JsonNode root = JSON.readTree(jsonFile.toFile());
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt(-1) != VERSION) {
            throw new IOException(jsonFile + ": not a " + FORMAT + " version " + VERSION + " file (format '"
                    + root.path("format").asText() + "', version " + root.path("version").asText() + ")");
        }
        int width = required(root, "width", jsonFile).asInt();
        int height = required(root, "height", jsonFile).asInt();
        Map<String, float[]> statics = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("maps").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            statics.put(e.getKey(), readFloats(dir.resolve(e.getValue().asText()), width * height));
        }
        List<ScanTruth> scans = new ArrayList<>();
        for (JsonNode sn : root.path("scans")) {
            Map<String, float[]> maps = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = sn.path("maps").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                maps.put(e.getKey(), readFloats(dir.resolve(e.getValue().asText()), width * height));
            }
            scans.add(new ScanTruth(sn.path("scan_id").asText(), sn.path("index").asInt(), sn.path("series_time").asDouble(),
                    doubles(sn.path("energies_ev")), doubles(sn.path("drift_x_px")), doubles(sn.path("drift_y_px")), maps));
        }
        return new GroundTruth(width, height, root.path("pixel_size_um").asDouble(), root.path("element").asText(),
                root.path("edge_ev").asDouble(), doubles(root.path("whiteline_window_ev")),
                doubles(root.path("edge_window_ev")), root.path("estimators").asText(""), statics, scans,
                root.has("config") ? root.get("config") : null);
    }

    private static JsonNode required(JsonNode n, String field, Path file) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IOException(file + ": missing '" + field + "'");
        }
        return v;
    }

    private static double[] doubles(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = arr.get(i).asDouble();
        }
        return d;
    }

    private static void writeFloats(Path file, float[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (float v : data) {
                if (b.remaining() < 4) {
                    out.write(b.array(), 0, b.position());
                    b.clear();
                }
                b.putFloat(v);
            }
            out.write(b.array(), 0, b.position());
        }
    }

    private static float[] readFloats(Path file, int count) throws IOException {
        long size = Files.size(file);
        if (size != 4L * count) {
            throw new IOException(file + ": " + size + " bytes, expected " + 4L * count + " (float32 map)");
        }
        float[] out = new float[count];
        byte[] chunk = new byte[1 << 16];
        ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            int carry = 0;
            while ((n = in.read(chunk, carry, chunk.length - carry)) > 0) {
                int avail = carry + n;
                int whole = avail / 4 * 4;
                for (int p = 0; p < whole; p += 4) {
                    out[i++] = b.getFloat(p);
                }
                carry = avail - whole;
                System.arraycopy(chunk, whole, chunk, 0, carry);
            }
        }
        return out;
    }
}
