package org.xanestream.processor;

/**
 * Statistics of one map over the masked (trusted, finite) pixels.
 */
public record MapSummary(double mean, double std, double p05, double p50, double p95, long nValid) {
}
