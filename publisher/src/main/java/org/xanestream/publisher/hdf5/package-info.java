/**
 * Per-scan HDF5 result files (the only jHDF package of the publisher).
 *
 * <p>In: the processor's results through {@link org.xanestream.processor.ProcessorListener} on the
 * processor thread (only references are kept: aligned images and maps are immutable once published).
 * Out: at scan end, one file per scan in a TXM_Sandbox-like layout, written on this package's own writer
 * thread to a temporary name and renamed into place.
 */
package org.xanestream.publisher.hdf5;
