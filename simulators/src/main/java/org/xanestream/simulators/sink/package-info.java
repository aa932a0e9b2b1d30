/**
 * Frame sinks: where the simulator's frames go. {@link org.xanestream.simulators.sink.FrameSink} is the
 * abstraction; implementations send over ZMQ in a protocol, keep frames in memory (tests), count
 * them (benchmarks), or fan out to several sinks ({@link org.xanestream.simulators.sink.TeeFrameSink});
 * the FXI file sink lives in the {@code hdf5} package (the only place jHDF is used). Replay of recorded
 * files feeds the same sinks.
 *
 * <p>In: frame headers and pixel buffers from the simulator's generating thread (valid only during the
 * call). Out: whatever the sink does; a sink may block for back-pressure.
 */
package org.xanestream.simulators.sink;
