package org.xanestream.publisher.kafka;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xanestream.processor.ImageBinning;

/**
 * Harness, not a unit test (its name keeps it out of {@code mvn verify}): the publisher thread's per-map
 * costs at 2048×2048 — comparison with the previous publication, 2×2 NaN-aware binning, cutting into little-endian bands. Run:
 * <pre>mvn -B -q -pl publisher -am test -Dtest=PublisherEncodingBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * and read publisher/target/surefire-reports/org.xanestream.publisher.kafka.PublisherEncodingBenchmark-output.txt.
 */
class PublisherEncodingBenchmark {
    private static final int SIDE = 2048;
    private static final int REPS = 30;

    @Test
    void perMapCostsAt2048Square() {
        float[] map = FakeResults.image(SIDE, SIDE, 5);
        float[] previous = map.clone();
        int ow = ImageBinning.binnedSize(SIDE, 2);
        float[] binned = new float[ow * ow];
        double[] sum = new double[ow];
        int[] count = new int[ow];
        long sink = 0;
        long bestHash = Long.MAX_VALUE;
        long bestBin = Long.MAX_VALUE;
        long bestBands = Long.MAX_VALUE;
        long bestLiveBands = Long.MAX_VALUE;
        int rowsPerBand = RowBands.rowsPerBand(SIDE, KafkaPublisherConfig.MAX_RECORD_VALUE_LIMIT);
        int liveRowsPerBand = RowBands.rowsPerBand(ow, KafkaPublisherConfig.MAX_RECORD_VALUE_LIMIT);
        for (int rep = 0; rep < REPS; rep++) {
            long t0 = System.nanoTime();
            sink += java.util.Arrays.equals(previous, map) ? 1 : 2;
            long t1 = System.nanoTime();
            ImageBinning.binNanMean(map, SIDE, SIDE, 2, binned, sum, count);
            long t2 = System.nanoTime();
            for (int row0 = 0; row0 < SIDE; row0 += rowsPerBand) {
                sink += RowBands.encodeRows(map, SIDE, row0, Math.min(rowsPerBand, SIDE - row0)).length;
            }
            long t3 = System.nanoTime();
            for (int row0 = 0; row0 < ow; row0 += liveRowsPerBand) {
                sink += RowBands.encodeRows(binned, ow, row0, Math.min(liveRowsPerBand, ow - row0)).length;
            }
            long t4 = System.nanoTime();
            bestHash = Math.min(bestHash, t1 - t0);
            bestBin = Math.min(bestBin, t2 - t1);
            bestBands = Math.min(bestBands, t3 - t2);
            bestLiveBands = Math.min(bestLiveBands, t4 - t3);
        }
        System.out.printf("2048x2048 float32 map, best of %d: unchanged-map check %.2f ms, 2x2 NaN-mean bin %.2f ms, "
                        + "full-resolution bands %.2f ms, binned bands %.2f ms%n", REPS, bestHash / 1e6, bestBin / 1e6,
                bestBands / 1e6, bestLiveBands / 1e6);
        System.out.printf("live publication of one changed map: %.2f ms; final publication: %.2f ms%n",
                (bestHash + bestBin + bestLiveBands) / 1e6, bestBands / 1e6);
        assertTrue(sink != 0);
    }
}
