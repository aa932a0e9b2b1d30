/**
 * Frame sinks: where the simulator's frames go. {@link org.xanestream.simulators.sink.FrameSink} is the
 * abstraction; implementations send over ZMQ in a protocol, keep frames in memory (tests), or count
 * them (benchmarks).
 *
 * <p>In: frame headers and pixel buffers from the simulator's generating thread (valid only during the
 * call). Out: whatever the sink does; a sink may block for back-pressure.
 */
package org.xanestream.simulators.sink;
