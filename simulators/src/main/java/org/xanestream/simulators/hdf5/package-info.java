/**
 * Recorded 2D XANES scans in HDF5 (the only jHDF package of the simulators module).
 *
 * <p>In: NSLS-II FXI files ({@code /img_xanes}, {@code /img_bkg}, {@code /img_dark}, {@code /X_eng})
 * and APS 32-ID DXchange files ({@code /exchange/data}, {@code /exchange/data_white},
 * {@code /exchange/data_dark}, {@code /exchange/energy}). Out: a {@link org.xanestream.simulators.hdf5.RecordedScan}
 * that serves one energy image at a time, and {@link org.xanestream.simulators.hdf5.ScanReplayer}
 * which turns it into detector frames for any {@link org.xanestream.simulators.sink.FrameSink} (the
 * ZMQ sink in ADZMQ or DECTRIS encoding). {@link org.xanestream.simulators.hdf5.FxiFileWriter} writes the
 * FXI layout; {@link org.xanestream.simulators.hdf5.FxiFileSink} is a frame sink that turns the
 * simulator's raw stream into FXI files.
 *
 * <p>Everything here runs on the caller's thread; readers hold the file open until closed.
 */
package org.xanestream.simulators.hdf5;
