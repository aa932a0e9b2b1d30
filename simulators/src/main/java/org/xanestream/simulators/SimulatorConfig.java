package org.xanestream.simulators;

import java.util.Objects;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.detector.DetectorConfig;
import org.xanestream.simulators.detector.DriftConfig;
import org.xanestream.simulators.phantom.PhantomConfig;

/**
 * Everything the TXM XANES simulator needs. Validated on construction; messages name the bad value and
 * the expected range.
 *
 * @param seed              master seed: the same configuration always produces identical frames and truth
 * @param width             image width in pixels (supported 16..4096; the product targets 128..3200)
 * @param height            image height in pixels, likewise
 * @param pixelSizeUm       pixel size at the sample, µm (0.001..100)
 * @param element           element preset (edge and windows), e.g. {@code Ni}
 * @param reducedReference  reduced-state reference: {@code builtin:NiO}, a file path, or {@code name=path}
 * @param oxidizedReference oxidized-state reference, likewise (e.g. {@code builtin:LiNiO2})
 * @param energies          the energy grid (relative to the element's edge by default)
 * @param phantom           the sample
 * @param detector          detector and beam
 * @param drift             sample drift
 * @param acquisition       frame sequence, timing and series length
 * @param threads           generating threads; 0 = one per available processor
 */
public record SimulatorConfig(long seed, int width, int height, double pixelSizeUm, String element,
                              String reducedReference, String oxidizedReference, EnergyGrid energies,
                              PhantomConfig phantom, DetectorConfig detector, DriftConfig drift,
                              AcquisitionConfig acquisition, int threads) {
    /** Smallest and largest accepted image side, pixels. */
    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 4096;

    public SimulatorConfig {
        if (width < MIN_SIZE || width > MAX_SIZE || height < MIN_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("image size must be " + MIN_SIZE + ".." + MAX_SIZE + " pixels per side, got "
                    + width + "x" + height);
        }
        if (!(pixelSizeUm >= 0.001 && pixelSizeUm <= 100)) {
            throw new IllegalArgumentException("pixelSizeUm must be in [0.001, 100], got " + pixelSizeUm);
        }
        Objects.requireNonNull(element, "element");
        ElementPreset preset = ElementPreset.of(element);
        if (reducedReference == null || reducedReference.isBlank()) {
            throw new IllegalArgumentException("reducedReference must name a reference (builtin:NiO, a path, or name=path)");
        }
        if (oxidizedReference == null || oxidizedReference.isBlank()) {
            throw new IllegalArgumentException("oxidizedReference must name a reference (builtin:LiNiO2, a path, or name=path)");
        }
        Objects.requireNonNull(energies, "energies");
        Objects.requireNonNull(phantom, "phantom");
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(drift, "drift");
        Objects.requireNonNull(acquisition, "acquisition");
        double[] e = energies.energiesEv(preset.edgeEv());
        if (e.length < 2 || e.length > 10_000) {
            throw new IllegalArgumentException("a scan needs 2..10000 energies, the grid gives " + e.length);
        }
        if (threads < 0 || threads > 256) {
            throw new IllegalArgumentException("threads must be 0 (all cores) .. 256, got " + threads);
        }
    }

    /**
     * Seed 1, 1024×1024 pixels of 40 nm (a 41 µm field of view), Ni with the built-in NiO (reduced) and
     * LiNiO2 (oxidized) references, the FXI-like grid, and the defaults of every part.
     */
    public static SimulatorConfig defaults() {
        return new SimulatorConfig(1, 1024, 1024, 0.04, "Ni", "builtin:NiO", "builtin:LiNiO2", EnergyGrid.fxiLike(),
                PhantomConfig.defaults(), DetectorConfig.defaults(), DriftConfig.defaults(), AcquisitionConfig.defaults(), 0);
    }

    /** The element preset. */
    public ElementPreset preset() {
        return ElementPreset.of(element);
    }

    /** The scan energies in eV. */
    public double[] energiesEv() {
        return energies.energiesEv(preset().edgeEv());
    }

    public SimulatorConfig withSeed(long v) {
        return new SimulatorConfig(v, width, height, pixelSizeUm, element, reducedReference, oxidizedReference, energies,
                phantom, detector, drift, acquisition, threads);
    }

    public SimulatorConfig withSize(int w, int h) {
        return new SimulatorConfig(seed, w, h, pixelSizeUm, element, reducedReference, oxidizedReference, energies,
                phantom, detector, drift, acquisition, threads);
    }

    public SimulatorConfig withPixelSizeUm(double v) {
        return new SimulatorConfig(seed, width, height, v, element, reducedReference, oxidizedReference, energies,
                phantom, detector, drift, acquisition, threads);
    }

    /** Another element with its two references (reduced, oxidized). */
    public SimulatorConfig withElement(String newElement, String reduced, String oxidized) {
        return new SimulatorConfig(seed, width, height, pixelSizeUm, newElement, reduced, oxidized, energies,
                phantom, detector, drift, acquisition, threads);
    }

    public SimulatorConfig withEnergies(EnergyGrid v) {
        return new SimulatorConfig(seed, width, height, pixelSizeUm, element, reducedReference, oxidizedReference, v,
                phantom, detector, drift, acquisition, threads);
    }

    public SimulatorConfig withPhantom(PhantomConfig v) {
        return new SimulatorConfig(seed, width, height, pixelSizeUm, element, reducedReference, oxidizedReference,
                energies, v, detector, drift, acquisition, threads);
    }

    public SimulatorConfig withDetector(DetectorConfig v) {
        return new SimulatorConfig(seed, width, height, pixelSizeUm, element, reducedReference, oxidizedReference,
                energies, phantom, v, drift, acquisition, threads);
    }

    public SimulatorConfig withDrift(DriftConfig v) {
        return new SimulatorConfig(seed, width, height, pixelSizeUm, element, reducedReference, oxidizedReference,
                energies, phantom, detector, v, acquisition, threads);
    }

    public SimulatorConfig withAcquisition(AcquisitionConfig v) {
        return new SimulatorConfig(seed, width, height, pixelSizeUm, element, reducedReference, oxidizedReference,
                energies, phantom, detector, drift, v, threads);
    }

    public SimulatorConfig withThreads(int v) {
        return new SimulatorConfig(seed, width, height, pixelSizeUm, element, reducedReference, oxidizedReference,
                energies, phantom, detector, drift, acquisition, v);
    }
}
