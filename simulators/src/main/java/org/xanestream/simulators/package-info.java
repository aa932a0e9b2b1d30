/**
 * The TXM XANES detector simulator. {@link org.xanestream.simulators.SimulatorConfig} says what to
 * simulate; {@link org.xanestream.simulators.XanesSimulator} builds the phantom, spectral model,
 * detector and drift from it, streams the FXI frame sequence into a
 * {@link org.xanestream.simulators.sink.FrameSink}, and exposes the noiseless model and the ground truth.
 *
 * <pre>
 *  phantom (thickness, fraction) ─┐
 *  spectral model (references) ───┼─▶ mu(E) per energy ─▶ drift shift ─▶ flat·exp(−mu) ─▶ noise per frame ─▶ FrameSink
 *  detector (dark, flat, beam) ───┘                                                      (RowParallel bands)
 * </pre>
 *
 * <p>Threads: one generating thread (the caller of {@code stream}) owns everything; per-pixel loops
 * are split across rows on a {@link org.xanestream.processor.RowParallel}. Frames go to the sink
 * synchronously on the generating thread.
 */
package org.xanestream.simulators;
