/**
 * Ground truth of a simulated series: what the processor should find. {@link
 * org.xanestream.simulators.truth.TruthCalculator} computes it from a simulator;
 * {@link org.xanestream.simulators.truth.GroundTruth} holds it and writes/reads the documented truth
 * directory ({@code truth.json} + little-endian float32 maps, see {@code docs/simulator-truth.md}) so
 * tests in other modules can load it.
 *
 * <p>In: a built simulator (computed on the caller's thread, rows split on the simulator's pool).
 * Out: immutable maps and per-energy drift. Nothing here runs per frame.
 */
package org.xanestream.simulators.truth;
