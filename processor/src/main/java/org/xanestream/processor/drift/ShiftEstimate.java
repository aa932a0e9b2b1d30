package org.xanestream.processor.drift;

/**
 * One drift estimate: the displacement of the moving image's content relative to the reference
 * ({@code moving(x, y) ≈ reference(x - dxPx, y - dyPx)}), in image pixels.
 *
 * @param dxPx       displacement along x (+ = increasing column)
 * @param dyPx       displacement along y (+ = increasing row)
 * @param confidence 0 (no distinct correlation peak) to 1 (a single sharp peak)
 */
public record ShiftEstimate(double dxPx, double dyPx, double confidence) {
    /** No displacement, full confidence. */
    public static final ShiftEstimate ZERO = new ShiftEstimate(0, 0, 1);
}
