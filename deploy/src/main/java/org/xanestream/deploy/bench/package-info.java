/**
 * The end-to-end throughput harness behind {@code xanestream bench}: {@link org.xanestream.deploy.bench.ThroughputHarness}
 * runs the pipeline and measures it, {@link org.xanestream.deploy.bench.CachedFrameSender} is the detector in a
 * separate JVM. Single-threaded drivers; the measured threads are the pipeline's own.
 */
package org.xanestream.deploy.bench;
