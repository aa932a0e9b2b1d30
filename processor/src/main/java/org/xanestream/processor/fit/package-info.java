/**
 * Per-pixel spectral fits of a XANES stack (DESIGN §4.4, §5).
 *
 * <p>In: aligned absorbance images, one per energy point ({@link org.xanestream.processor.fit.XanesFitter#addEnergy}),
 * from the processor thread. Out, on demand ({@link org.xanestream.processor.fit.XanesFitter#snapshot}): a
 * {@link org.xanestream.processor.MapsSnapshot} with the maps named in {@link org.xanestream.processor.fit.FitMaps}
 * and their summaries over trusted pixels.
 *
 * <p>{@link org.xanestream.processor.fit.IncrementalXanesFit} keeps, per energy region, one shared Gram matrix
 * and per-pixel accumulator planes; each image costs a few multiply-adds per pixel and term, spread over row
 * bands of the shared {@link org.xanestream.processor.RowParallel}. {@link org.xanestream.processor.fit.SpectrumEstimators}
 * is the same set of estimators for a single spectrum in plain double precision: the batch reference of the
 * tests and the ground truth of the simulator. Configuration: {@link org.xanestream.processor.fit.FitSettings}
 * (element {@link org.xanestream.processor.fit.ElementPreset}, LCF references, whiteline order, mask
 * threshold, {@link org.xanestream.processor.fit.NormalizationWindows}).
 *
 * <p>{@link org.xanestream.processor.fit.LiveBinnedFitter} pairs a full-resolution fitter (final maps) with one of
 * the block-binned images ({@link org.xanestream.processor.ImageBinning}) whose snapshots are the live maps of
 * large scans; it hands the full-resolution images over 4 at a time ({@code catchUp}, after a point's results
 * went out). {@code addEnergies} of {@link org.xanestream.processor.fit.IncrementalXanesFit} is that bulk path,
 * also the one of a refit (register-blocked kernels, bit for bit equal to one {@code addEnergy} per image);
 * {@code addEnergiesAndSnapshot} does a whole refit in one pass over the pixels.
 *
 * <p>Reuse: {@link org.xanestream.processor.fit.FitBuffers} keeps the planes of closed fits and the map arrays
 * of released snapshots ({@link org.xanestream.processor.MapsLease}) for the next ones, so that large arrays are
 * neither zeroed by the JVM nor left to the collector at every snapshot and scan. The processor shares one
 * instance among its fits (the pipeline's: at most {@link org.xanestream.processor.fit.FitBuffers#DEFAULT_MAX_BYTES}).
 *
 * <p>Threading: a fitter is driven by one thread; its kernels run on the row pool and return before the
 * call does. Snapshots are immutable once returned, as long as their lease is held.
 */
package org.xanestream.processor.fit;
