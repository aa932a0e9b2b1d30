package org.xanestream.processor.spectra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads measured reference spectra and edge-normalizes raw ones.
 *
 * <p>Two formats are read:
 * <ul>
 *   <li><b>Two-column text</b> (e.g. the PyXAS references): energy and mu per line, whitespace separated,
 *   blank lines, {@code #} comments and text header lines above the first number skipped, extra
 *   columns ignored. Energies below
 *   {@value #KEV_LIMIT} are keV, otherwise eV (decided by the first point; a file must not mix them).
 *   The mu column is taken as already edge-normalized.</li>
 *   <li><b>XDI</b> (first line {@code # XDI/1.x}, or any {@code # Column.N:} header): the
 *   {@code # Column.N: name [unit]} lines say which column is what, in any order. Energy comes from
 *   {@code energy} (unit {@code eV}/{@code keV} from the header, else by magnitude); mu from, in this
 *   order of preference, a normalized column ({@code normtrans}, {@code normfluor}, {@code norm}:
 *   taken as normalized), a mu column ({@code mutrans}, {@code mufluor}, {@code mu}, {@code xmu}),
 *   {@code ln(i0/itrans)} (also {@code i1}, {@code it}) or {@code ifluor/i0}.</li>
 * </ul>
 * Every problem (no energy column, no usable mu column, energies not strictly increasing, a
 * non-finite or unparseable value, a non-positive intensity) raises a {@link ReferenceFormatException}
 * naming the file and line.
 *
 * <p>{@link #builtin(String)} serves the Ni references shipped with the product ({@code NiO},
 * {@code LiNiO2}; see {@code spectra/PROVENANCE.md} on the classpath).
 *
 * <p>Stateless and thread safe; every call allocates the returned spectrum.
 */
public final class ReferenceSpectra {
    /** Energies below this value are keV, at or above it eV. */
    public static final double KEV_LIMIT = 100.0;

    /** Prefix of a reference specification that names a built-in reference ({@code builtin:NiO}). */
    public static final String BUILTIN_PREFIX = "builtin:";

    private static final Map<String, String> BUILTIN = Map.of(
            "NiO", "pyxas_ref_NiO.txt",
            "LiNiO2", "pyxas_ref_LiNiO2.txt");

    private static final Pattern COLUMN = Pattern.compile(
            "^#\\s*Column\\.(\\d+)\\s*:\\s*(\\S+)(?:\\s+(\\S+))?.*$", Pattern.CASE_INSENSITIVE);

    private ReferenceSpectra() {
    }

    /** Loads a file, naming the spectrum after the file name without extension (see {@link #nameFor}). */
    public static ReferenceSpectrum load(Path file) throws IOException {
        return load(file, nameFor(file.getFileName().toString()));
    }

    /** Loads a two-column or XDI file. */
    public static ReferenceSpectrum load(Path file, String name) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, name, file.toString());
        }
    }

    /**
     * Parses a two-column or XDI text.
     *
     * @param name   spectrum name (letters, digits, {@code _ . + -})
     * @param origin file or resource name used in messages and kept as provenance
     */
    public static ReferenceSpectrum parse(Reader text, String name, String origin) throws IOException {
        BufferedReader r = text instanceof BufferedReader b ? b : new BufferedReader(text);
        List<String> lines = new ArrayList<>();
        for (String l = r.readLine(); l != null; l = r.readLine()) {
            lines.add(l);
        }
        return parse(lines, name, origin);
    }

    /** Parses the lines of a two-column or XDI text (see {@link #parse(Reader, String, String)}). */
    public static ReferenceSpectrum parse(List<String> lines, String name, String origin) throws ReferenceFormatException {
        boolean xdi = false;
        for (String l : lines) {
            String t = l.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.startsWith("#") && t.toUpperCase(Locale.ROOT).contains("XDI/")) {
                xdi = true;
            }
            break;
        }
        if (!xdi) {
            for (String l : lines) {
                if (COLUMN.matcher(l.trim()).matches()) {
                    xdi = true;
                    break;
                }
            }
        }
        return xdi ? parseXdi(lines, name, origin) : parseTwoColumn(lines, name, origin);
    }

    /** Names of the built-in references, e.g. {@code NiO}, {@code LiNiO2}. */
    public static List<String> builtinNames() {
        return BUILTIN.keySet().stream().sorted().toList();
    }

    /**
     * A reference shipped with the product.
     *
     * @throws IllegalArgumentException if there is no such built-in reference
     */
    public static ReferenceSpectrum builtin(String name) {
        String file = BUILTIN.get(name);
        if (file == null) {
            throw new IllegalArgumentException("no built-in reference '" + name + "'; known: "
                    + String.join(", ", builtinNames()));
        }
        String resource = "/spectra/" + file;
        try (InputStream in = ReferenceSpectra.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in reference resource " + resource + " is missing from the classpath");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), name, "classpath:" + resource);
        } catch (IOException e) {
            throw new IllegalStateException("built-in reference " + resource + " is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Resolves a reference specification: {@code builtin:<name>} for a built-in reference, otherwise a
     * file path; either optionally prefixed {@code <name>=} to choose the spectrum name
     * (e.g. {@code NiO=/data/ref_NiO.txt}, {@code rock=builtin:NiO}).
     */
    public static ReferenceSpectrum resolve(String spec) throws IOException {
        String s = spec == null ? "" : spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("reference specification must not be empty");
        }
        if (s.startsWith(BUILTIN_PREFIX)) {
            return builtin(s.substring(BUILTIN_PREFIX.length()));
        }
        int eq = s.indexOf('=');
        if (eq > 0 && s.startsWith(BUILTIN_PREFIX, eq + 1)) {
            // a built-in under another name (as in the YAML map form NAME: builtin:X)
            ReferenceSpectrum b = builtin(s.substring(eq + 1 + BUILTIN_PREFIX.length()));
            return new ReferenceSpectrum(s.substring(0, eq), b.energyEv(), b.mu(), b.normalized(), b.origin());
        }
        if (eq > 0 && s.substring(0, eq).matches("[A-Za-z0-9_.+-]+")) {
            return load(Path.of(s.substring(eq + 1)), s.substring(0, eq));
        }
        return load(Path.of(s));
    }

    /**
     * A spectrum name from a file name: the name without its extension, characters outside
     * {@code [A-Za-z0-9_.+-]} replaced by {@code _}.
     */
    public static String nameFor(String fileName) {
        String n = fileName;
        int dot = n.lastIndexOf('.');
        if (dot > 0) {
            n = n.substring(0, dot);
        }
        n = n.replaceAll("[^A-Za-z0-9_.+-]", "_");
        return n.isEmpty() ? "ref" : n;
    }

    /** The spectrum itself if already normalized, else {@link #edgeNormalize} with the defaults. */
    public static ReferenceSpectrum normalized(ReferenceSpectrum s) {
        return s.normalized() ? s : edgeNormalize(s, EdgeNormalization.defaults());
    }

    /**
     * Edge-normalizes a spectrum (see {@link EdgeNormalization}). Works on normalized spectra too
     * (renormalizes them).
     *
     * @throws IllegalArgumentException if a window holds fewer than 2 points or the edge step is not positive
     */
    public static ReferenceSpectrum edgeNormalize(ReferenceSpectrum s, EdgeNormalization p) {
        double[] e = s.energyEv();
        double[] mu = s.mu();
        double e0 = Double.isNaN(p.e0Ev()) ? steepestRiseEv(s) : p.e0Ev();
        double[] pre = line(e, mu, e0 + p.preFromRelEv(), e0 + p.preToRelEv());
        double[] post = line(e, mu, e0 + p.postFromRelEv(), e0 + p.postToRelEv());
        if (pre == null || post == null) {
            throw new IllegalArgumentException("reference '" + s.name() + "' (" + s.origin() + ", "
                    + e[0] + ".." + e[e.length - 1] + " eV) has fewer than 2 points in the "
                    + (pre == null ? "pre-edge window " + (e0 + p.preFromRelEv()) + ".." + (e0 + p.preToRelEv())
                    : "post-edge window " + (e0 + p.postFromRelEv()) + ".." + (e0 + p.postToRelEv()))
                    + " eV around E0 = " + e0 + " eV");
        }
        double step = (post[0] + post[1] * e0) - (pre[0] + pre[1] * e0);
        if (!(step > 0)) {
            throw new IllegalArgumentException("reference '" + s.name() + "' (" + s.origin()
                    + ") has a non-positive edge step " + step + " at E0 = " + e0 + " eV");
        }
        double[] out = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            double preI = pre[0] + pre[1] * e[i];
            double v = (mu[i] - preI) / step;
            if (p.flatten() && e[i] > e0) {
                double postI = post[0] + post[1] * e[i];
                v -= (postI - preI) / step - 1.0;
            }
            out[i] = v;
        }
        return new ReferenceSpectrum(s.name(), e.clone(), out, true, s.origin());
    }

    /**
     * The energy of the steepest rise of mu (maximum of the derivative, central differences averaged
     * over three neighbouring points to resist noise), in eV.
     */
    public static double steepestRiseEv(ReferenceSpectrum s) {
        double[] e = s.energyEv();
        double[] mu = s.mu();
        int n = e.length;
        if (n < 3) {
            return 0.5 * (e[0] + e[n - 1]);
        }
        double[] d = new double[n];
        for (int i = 1; i < n - 1; i++) {
            d[i] = (mu[i + 1] - mu[i - 1]) / (e[i + 1] - e[i - 1]);
        }
        d[0] = d[1];
        d[n - 1] = d[n - 2];
        int best = 1;
        double bestD = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < n - 1; i++) {
            double smooth = (d[i - 1] + 2 * d[i] + d[i + 1]) * 0.25;
            if (smooth > bestD) {
                bestD = smooth;
                best = i;
            }
        }
        return e[best];
    }

    /** Least-squares line {intercept, slope} over points with lo <= E <= hi, or null if fewer than 2. */
    private static double[] line(double[] e, double[] mu, double lo, double hi) {
        int n = 0;
        double se = 0;
        double sm = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] >= lo && e[i] <= hi) {
                n++;
                se += e[i];
                sm += mu[i];
            }
        }
        if (n < 2) {
            return null;
        }
        double me = se / n;
        double mm = sm / n;
        double see = 0;
        double sem = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] >= lo && e[i] <= hi) {
                double de = e[i] - me;
                see += de * de;
                sem += de * (mu[i] - mm);
            }
        }
        double slope = see > 0 ? sem / see : 0;
        return new double[] {mm - slope * me, slope};
    }

    private static ReferenceSpectrum parseTwoColumn(List<String> lines, String name, String origin)
            throws ReferenceFormatException {
        DoubleList energy = new DoubleList();
        DoubleList mu = new DoubleList();
        Boolean kev = null;
        int prevLine = 0;
        for (int li = 0; li < lines.size(); li++) {
            String t = lines.get(li).trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int lineNo = li + 1;
            String[] tok = t.split("[\\s,;]+");
            if (energy.size == 0 && !looksNumeric(tok[0])) {
                continue; // a text header such as "energy mu" above the data
            }
            if (tok.length < 2) {
                throw new ReferenceFormatException(origin, lineNo, "expected two columns (energy, mu), got '" + t + "'");
            }
            double en = number(tok[0], "energy", origin, lineNo);
            double m = number(tok[1], "mu", origin, lineNo);
            if (kev == null) {
                kev = en < KEV_LIMIT;
            } else if (kev != (en < KEV_LIMIT)) {
                throw new ReferenceFormatException(origin, lineNo, "energy " + tok[0]
                        + " mixes keV and eV (the file started in " + (kev ? "keV" : "eV") + ")");
            }
            addPoint(energy, mu, kev ? en * 1000.0 : en, m, tok[0], origin, lineNo, prevLine);
            prevLine = lineNo;
        }
        return finish(energy, mu, true, name, origin, "no data lines (expected two columns: energy, mu)");
    }

    private static ReferenceSpectrum parseXdi(List<String> lines, String name, String origin)
            throws ReferenceFormatException {
        Map<String, Integer> cols = new HashMap<>();
        Map<String, String> units = new HashMap<>();
        int firstData = -1;
        for (int li = 0; li < lines.size(); li++) {
            String t = lines.get(li).trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.startsWith("#")) {
                firstData = li;
                break;
            }
            Matcher m = COLUMN.matcher(t);
            if (m.matches()) {
                String colName = m.group(2).toLowerCase(Locale.ROOT);
                int index = Integer.parseInt(m.group(1));
                if (index < 1) {
                    throw new ReferenceFormatException(origin, li + 1, "column numbers start at 1, got " + index);
                }
                cols.putIfAbsent(colName, index - 1);
                if (m.group(3) != null) {
                    units.putIfAbsent(colName, m.group(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        Integer eCol = firstOf(cols, "energy", "e", "energy_ev");
        if (eCol == null) {
            throw new ReferenceFormatException(origin, 0, "no energy column (no '# Column.N: energy' header line; columns: "
                    + cols.keySet() + ")");
        }
        String eUnit = units.getOrDefault(cols.containsKey("energy") ? "energy" : "e", "");
        Integer normCol = firstOf(cols, "normtrans", "normfluor", "norm");
        Integer muCol = firstOf(cols, "mutrans", "mufluor", "mu", "xmu");
        Integer i0Col = firstOf(cols, "i0");
        Integer itCol = firstOf(cols, "itrans", "i1", "it");
        Integer ifCol = firstOf(cols, "ifluor", "if");
        int mode;
        if (normCol != null) {
            mode = 0;
        } else if (muCol != null) {
            mode = 1;
        } else if (i0Col != null && itCol != null) {
            mode = 2;
        } else if (i0Col != null && ifCol != null) {
            mode = 3;
        } else {
            throw new ReferenceFormatException(origin, 0, "no usable absorbance column: need normtrans/mutrans/mu, "
                    + "or i0 with itrans (or ifluor); columns: " + cols.keySet());
        }
        DoubleList energy = new DoubleList();
        DoubleList mu = new DoubleList();
        Boolean kev = eUnit.equals("kev") ? Boolean.TRUE : eUnit.equals("ev") ? Boolean.FALSE : null;
        int prevLine = 0;
        for (int li = Math.max(firstData, 0); firstData >= 0 && li < lines.size(); li++) {
            String t = lines.get(li).trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int lineNo = li + 1;
            String[] tok = t.split("\\s+");
            double en = number(column(tok, eCol, "energy", origin, lineNo), "energy", origin, lineNo);
            if (kev == null) {
                kev = en < KEV_LIMIT;
            }
            double m;
            switch (mode) {
                case 0:
                    m = number(column(tok, normCol, "normalized mu", origin, lineNo), "normalized mu", origin, lineNo);
                    break;
                case 1:
                    m = number(column(tok, muCol, "mu", origin, lineNo), "mu", origin, lineNo);
                    break;
                default: {
                    double i0 = number(column(tok, i0Col, "i0", origin, lineNo), "i0", origin, lineNo);
                    int other = mode == 2 ? itCol : ifCol;
                    String otherName = mode == 2 ? "itrans" : "ifluor";
                    double ix = number(column(tok, other, otherName, origin, lineNo), otherName, origin, lineNo);
                    if (!(i0 > 0) || !(ix > 0)) {
                        throw new ReferenceFormatException(origin, lineNo, "intensities must be > 0 to take a logarithm"
                                + " or ratio, got i0 = " + i0 + ", " + otherName + " = " + ix);
                    }
                    m = mode == 2 ? Math.log(i0 / ix) : ix / i0;
                }
            }
            addPoint(energy, mu, kev ? en * 1000.0 : en, m, column(tok, eCol, "energy", origin, lineNo),
                    origin, lineNo, prevLine);
            prevLine = lineNo;
        }
        return finish(energy, mu, mode == 0, name, origin, "no data lines after the XDI header");
    }

    private static boolean looksNumeric(String tok) {
        char c = tok.charAt(0);
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
    }

    private static Integer firstOf(Map<String, Integer> cols, String... names) {
        for (String n : names) {
            Integer c = cols.get(n);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String column(String[] tok, int col, String what, String origin, int lineNo)
            throws ReferenceFormatException {
        if (col >= tok.length) {
            throw new ReferenceFormatException(origin, lineNo, "has " + tok.length + " columns, the " + what
                    + " column is number " + (col + 1));
        }
        return tok[col];
    }

    private static double number(String tok, String what, String origin, int lineNo) throws ReferenceFormatException {
        double v;
        try {
            v = Double.parseDouble(tok);
        } catch (NumberFormatException e) {
            throw new ReferenceFormatException(origin, lineNo, what + " '" + tok + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new ReferenceFormatException(origin, lineNo, what + " '" + tok + "' is not finite");
        }
        return v;
    }

    private static void addPoint(DoubleList energy, DoubleList mu, double eV, double m, String eTok, String origin,
                                 int lineNo, int prevLine) throws ReferenceFormatException {
        if (!Double.isFinite(m)) {
            throw new ReferenceFormatException(origin, lineNo, "mu is not finite (" + m + ")");
        }
        if (!(eV > 0)) {
            throw new ReferenceFormatException(origin, lineNo, "energy " + eTok + " must be positive");
        }
        if (energy.size > 0 && !(eV > energy.get(energy.size - 1))) {
            throw new ReferenceFormatException(origin, lineNo, "energies must increase strictly: " + eTok + " ("
                    + eV + " eV) follows " + energy.get(energy.size - 1) + " eV on line " + prevLine);
        }
        energy.add(eV);
        mu.add(m);
    }

    private static ReferenceSpectrum finish(DoubleList energy, DoubleList mu, boolean normalized, String name,
                                            String origin, String emptyDetail) throws ReferenceFormatException {
        if (energy.size == 0) {
            throw new ReferenceFormatException(origin, 0, emptyDetail);
        }
        if (energy.size < 2) {
            throw new ReferenceFormatException(origin, 0, "needs at least 2 data points, got " + energy.size);
        }
        return new ReferenceSpectrum(name, energy.toArray(), mu.toArray(), normalized, origin);
    }

    /** Growable primitive list, to avoid boxing while parsing. */
    private static final class DoubleList {
        double[] a = new double[256];
        int size;

        void add(double v) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        double get(int i) {
            return a[i];
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(a, size);
        }
    }
}
