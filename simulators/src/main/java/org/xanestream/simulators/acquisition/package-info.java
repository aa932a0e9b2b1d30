/**
 * Acquisition: the energy grid ({@link org.xanestream.simulators.acquisition.EnergyGrid}, FXI-like by
 * default) and the frame sequence of the FXI {@code xanes_scan2} plan
 * ({@link org.xanestream.simulators.acquisition.AcquisitionPlan}: darks, then per energy samples and
 * flats), with simulated timestamps.
 *
 * <p>In: configuration records. Out: an immutable plan read by the simulator's generating thread.
 * Built once per run; nothing here allocates per frame.
 */
package org.xanestream.simulators.acquisition;
