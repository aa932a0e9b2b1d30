/**
 * Detector physics: dark offset, read noise and hot pixels; the structured, slowly varying flat field;
 * sample drift; bilinear sub-pixel displacement; and the fast seeded noise renderer.
 *
 * <p>In: a noiseless absorbance image per energy. Out: uint16 little-endian frames written into a
 * caller-owned buffer. Runs on the simulator's generating thread with rows split across a
 * {@link org.xanestream.processor.RowParallel}; output never depends on the number of threads.
 */
package org.xanestream.simulators.detector;
