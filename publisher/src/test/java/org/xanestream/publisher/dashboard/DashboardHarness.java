package org.xanestream.publisher.dashboard;

import org.xanestream.publisher.results.EncodedRecord;
import org.xanestream.publisher.results.FakeResultSource;

import java.util.List;

/**
 * Throughput harness (test scope, not a unit test): band ingestion into the dashboard state and the
 * per-version render costs for a 1024×1024 map. Run from the repository root:
 * <pre>
 * mvn -B -q -pl publisher -am test-compile
 * mvn -B -q -pl ingest dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp "$(cat /tmp/cp.txt):ingest/target/classes:processor/target/classes:publisher/target/classes:publisher/target/test-classes" \
 *     org.xanestream.publisher.dashboard.DashboardHarness 20
 * </pre>
 */
public final class DashboardHarness {
    private DashboardHarness() {
    }

    public static void main(String[] args) {
        int side = 1024;
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        DashboardState st = new DashboardState(DashboardConfig.defaults());
        FakeResultSource src = new FakeResultSource(st);
        List<List<EncodedRecord>> versions = new java.util.ArrayList<>();
        for (int v = 1; v <= rounds; v++) {
            // 900 KiB bands, as the publisher cuts them: 225 rows of 1024 float32.
            versions.add(DashboardStateTest.bands("s", "whiteline_ev", side, side, 225, v, false, Float.NaN));
        }
        long bytes = 0;
        long t0 = System.nanoTime();
        for (List<EncodedRecord> v : versions) {
            for (EncodedRecord r : v) {
                src.feed(r);
                bytes += r.value().length;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ingest: %d versions of a %dx%d map, %.0f MB in %.2f s = %.0f MB/s%n", rounds, side, side,
                bytes / 1e6, s, bytes / 1e6 / s);
        MapView m = st.map("s", "whiteline_ev");
        long best = Long.MAX_VALUE, bestPng = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long a = System.nanoTime();
            MapRender.displayMessage(m, null, MapStats.of(m, null, 64), 512 * 512);
            best = Math.min(best, System.nanoTime() - a);
            a = System.nanoTime();
            MapRender.png(m, null, 0, 100_000, false);
            bestPng = Math.min(bestPng, System.nanoTime() - a);
        }
        System.out.printf("render: stats + 512x512 display message of a %dx%d map %.1f ms; PNG %.1f ms (best of 10)%n",
                side, side, best / 1e6, bestPng / 1e6);
    }
}
