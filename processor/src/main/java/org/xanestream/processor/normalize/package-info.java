/**
 * Dark/flat-field normalization (DESIGN §1).
 *
 * <p>In: pooled {@link org.xanestream.ingest.Frame}s of one scan, on the processor thread; each frame's
 * pixels are added to a running float sum ({@link org.xanestream.processor.normalize.FrameAccumulator})
 * and the frame is released at once. Out: at the end of an energy point, the absorbance image
 * {@code mu = -ln((I - D) / (F - D))} (or {@code -ln T} for pre-normalized transmission) written by
 * {@link org.xanestream.processor.normalize.DarkFlatNormalizer} into a buffer the caller owns, NaN
 * where the pixel is invalid. Per-pixel loops are split across rows with
 * {@link org.xanestream.processor.RowParallel}; nothing here allocates per frame.
 */
package org.xanestream.processor.normalize;
