/**
 * Drift estimation and correction (DESIGN §6). The only package that uses JTransforms.
 *
 * <p>In: each energy point's normalized mu image (NaN where invalid), on the processor thread. Out: the
 * measured displacement of the sample relative to the reference ({@code +x} = increasing column,
 * {@code +y} = increasing row), a confidence 0–1, a replaced flag from the implausible-jump guard, and
 * the aligned image written by {@link org.xanestream.processor.drift.ShiftApplier} (shifted by the
 * opposite of the displacement, NaN where pixels come from outside).
 *
 * <p>{@link org.xanestream.processor.drift.PhaseCorrelationDriftEstimator} does the phase correlation
 * (FFTs by {@code RealFft2d}, row bands on the processor's {@link org.xanestream.processor.RowParallel}
 * workers) with sub-pixel refinement on the DFT-interpolated correlation surface;
 * {@link org.xanestream.processor.drift.DriftCorrector} keeps one scan's reference (fixed first image or running mean of aligned images, never a chain), the jump guard
 * and the cross-scan offset of an operando series.
 */
package org.xanestream.processor.drift;
