package org.xanestream.simulators.acquisition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The energies of a scan, as concatenated {@link EnergyRegion}s, relative to the element's edge or in
 * absolute eV. A region that starts exactly where the previous one ended does not repeat that energy.
 * The resulting list must increase strictly.
 *
 * @param regions        the regions, in increasing energy
 * @param relativeToEdge true if region energies are offsets from the edge energy
 */
public record EnergyGrid(List<EnergyRegion> regions, boolean relativeToEdge) {
    /** Energies closer than this (eV) are the same energy. */
    private static final double SAME_EV = 1e-3;

    public EnergyGrid {
        Objects.requireNonNull(regions, "regions");
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("an energy grid needs at least one region");
        }
        double prev = Double.NEGATIVE_INFINITY;
        for (EnergyRegion r : regions) {
            if (r.fromEv() < prev - SAME_EV) {
                throw new IllegalArgumentException("energy regions must increase: region " + r.fromEv() + ".." + r.toEv()
                        + " eV starts below the previous end " + prev + " eV");
            }
            if (r.fromEv() < prev + SAME_EV && r.fromEv() > prev - SAME_EV && r.fromEv() == r.toEv()) {
                throw new IllegalArgumentException("energy " + r.fromEv() + " eV is listed twice");
            }
            prev = lastPoint(r);
        }
        if (!relativeToEdge && regions.get(0).fromEv() <= 0) {
            throw new IllegalArgumentException("absolute energies must be > 0 eV, got " + regions.get(0).fromEv());
        }
    }

    /**
     * The default grid, FXI-like, relative to the edge: 10 eV steps from -100 to -30 eV, 5 eV to -10 eV,
     * 1 eV across the edge and whiteline to +20 eV, 5 eV to +60 eV, 10 eV to +160 eV (60 energies; the
     * post-edge window from +100 eV holds 7 of them, the pre-edge window up to -50 eV holds 6).
     */
    public static EnergyGrid fxiLike() {
        return new EnergyGrid(List.of(
                new EnergyRegion(-100, -30, 10),
                new EnergyRegion(-30, -10, 5),
                new EnergyRegion(-10, 20, 1),
                new EnergyRegion(20, 60, 5),
                new EnergyRegion(60, 160, 10)), true);
    }

    /** An explicit list of absolute energies in eV. */
    public static EnergyGrid explicit(double... energiesEv) {
        List<EnergyRegion> r = new ArrayList<>(energiesEv.length);
        for (double e : energiesEv) {
            r.add(EnergyRegion.single(e));
        }
        return new EnergyGrid(r, false);
    }

    /**
     * Parses a grid: comma-separated items, each either {@code from:to:step} (a region) or a single
     * energy. Values are eV; with {@code relativeToEdge} false, values below 100 are keV.
     * Example: {@code -100:-30:10,-30:-10:5,-10:20:1,20:60:5,60:160:10}.
     *
     * @throws IllegalArgumentException naming the bad item
     */
    public static EnergyGrid parse(String text, boolean relativeToEdge) {
        Objects.requireNonNull(text, "text");
        List<EnergyRegion> regions = new ArrayList<>();
        for (String item : text.split(",")) {
            String it = item.trim();
            if (it.isEmpty()) {
                continue;
            }
            String[] p = it.split(":");
            try {
                if (p.length == 1) {
                    regions.add(EnergyRegion.single(unit(Double.parseDouble(p[0]), relativeToEdge)));
                } else if (p.length == 3) {
                    regions.add(new EnergyRegion(unit(Double.parseDouble(p[0]), relativeToEdge),
                            unit(Double.parseDouble(p[1]), relativeToEdge),
                            relativeToEdge ? Double.parseDouble(p[2]) : stepUnit(p, relativeToEdge)));
                } else {
                    throw new IllegalArgumentException("energy grid item '" + it + "' must be 'from:to:step' or one energy");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("energy grid item '" + it + "' is not numeric");
            }
        }
        return new EnergyGrid(regions, relativeToEdge);
    }

    private static double unit(double v, boolean relative) {
        return !relative && v > 0 && v < 100 ? v * 1000.0 : v;
    }

    private static double stepUnit(String[] p, boolean relative) {
        double from = Double.parseDouble(p[0]);
        double step = Double.parseDouble(p[2]);
        // a keV region has its step in keV too
        return !relative && from > 0 && from < 100 ? step * 1000.0 : step;
    }

    /**
     * The energies in eV.
     *
     * @param edgeEv the element's edge energy, added when {@link #relativeToEdge()}
     * @throws IllegalArgumentException if the result is not strictly increasing and positive
     */
    public double[] energiesEv(double edgeEv) {
        double offset = relativeToEdge ? edgeEv : 0.0;
        double[] out = new double[16];
        int n = 0;
        for (EnergyRegion r : regions) {
            long count = Math.round(Math.floor((r.toEv() - r.fromEv()) / r.stepEv() + 1e-6)) + 1;
            for (long k = 0; k < count; k++) {
                double e = offset + r.fromEv() + k * r.stepEv();
                if (n > 0 && Math.abs(e - out[n - 1]) < SAME_EV) {
                    continue;
                }
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = e;
            }
        }
        double[] res = java.util.Arrays.copyOf(out, n);
        for (int i = 0; i < n; i++) {
            if (!(res[i] > 0)) {
                throw new IllegalArgumentException("energy grid gives a non-positive energy " + res[i] + " eV");
            }
            if (i > 0 && !(res[i] > res[i - 1])) {
                throw new IllegalArgumentException("energy grid must increase strictly, got " + res[i] + " eV after "
                        + res[i - 1] + " eV");
            }
        }
        return res;
    }

    private static double lastPoint(EnergyRegion r) {
        long count = Math.round(Math.floor((r.toEv() - r.fromEv()) / r.stepEv() + 1e-6));
        return r.fromEv() + count * r.stepEv();
    }
}
