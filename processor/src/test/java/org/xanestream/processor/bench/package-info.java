/**
 * JMH benchmarks of the processor hot paths at 2048×2048 (test scope; run with the JMH main, see
 * {@link org.xanestream.processor.bench.EnergyUpdateBenchmark}).
 */
package org.xanestream.processor.bench;
