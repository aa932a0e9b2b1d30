package org.xanestream.simulators.phantom;

/**
 * One secondary particle: an ellipsoid whose in-plane semi-axes are {@code semiMajorPx} and
 * {@code semiMinorPx} (rotated by {@code angleRad}) and whose depth semi-axis is {@code halfDepthUm}.
 * Its oxidized fraction at normalized elliptical radius r (0 centre, 1 rim) is
 * {@code fractionCore + (fractionShell − fractionCore)·r^gradientExponent} plus nanodomains, and while
 * charging a shrinking-core front converts it to {@code fractionCharged} from the rim inwards between
 * series times {@code chargeOnset} and {@code chargeOnset + chargeDuration}.
 *
 * @param cxPx              centre column (may lie outside the image)
 * @param cyPx              centre row
 * @param semiMajorPx       larger in-plane semi-axis, pixels
 * @param semiMinorPx       smaller in-plane semi-axis, pixels
 * @param angleRad          rotation of the major axis from +x
 * @param halfDepthUm       semi-axis along the beam, µm
 * @param density           relative packing density (0..1]
 * @param fractionCore      oxidized fraction at the centre
 * @param fractionShell     oxidized fraction at the rim
 * @param gradientExponent  shape of the core–shell profile
 * @param fractionCharged   oxidized fraction once charged
 * @param chargeOnset       series time the charging front starts; +inf for an inactive particle
 * @param chargeDuration    series time the front takes to reach the centre
 */
public record Particle(double cxPx, double cyPx, double semiMajorPx, double semiMinorPx, double angleRad,
                       double halfDepthUm, double density, double fractionCore, double fractionShell,
                       double gradientExponent, double fractionCharged, double chargeOnset, double chargeDuration) {
}
