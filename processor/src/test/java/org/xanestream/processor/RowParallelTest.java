package org.xanestream.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RowParallelTest {
    @Test
    void everyRowIsVisitedExactlyOnceForAnyRowCount() {
        try (RowParallel rows = new RowParallel(3)) {
            for (int n = 0; n < 40; n++) {
                int[] visits = new int[n];
                rows.forEachBand(n, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        visits[r]++;
                    }
                });
                for (int r = 0; r < n; r++) {
                    assertEquals(1, visits[r], "row " + r + " of " + n);
                }
            }
        }
    }

    @Test
    void bandsRunOnTheWorkersAndTheCallerAndTheirWritesAreVisibleAfterwards() {
        try (RowParallel rows = new RowParallel(2)) {
            for (int round = 0; round < 500; round++) {
                long[] out = new long[1000];
                Thread[] who = new Thread[2];
                rows.forEachBand(1000, (r0, r1) -> {
                    who[r0 == 0 ? 0 : 1] = Thread.currentThread();
                    for (int r = r0; r < r1; r++) {
                        out[r] = (long) r * r;
                    }
                });
                for (int r = 0; r < 1000; r++) {
                    assertEquals((long) r * r, out[r]);
                }
                assertSame(Thread.currentThread(), who[0]);
                assertTrue(who[1].getName().startsWith("xanes-rows-"), who[1].getName());
            }
        }
    }

    @Test
    void aFailingBandIsRethrownAfterAllBandsEnded() {
        try (RowParallel rows = new RowParallel(3)) {
            AtomicInteger done = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> rows.forEachBand(90, (r0, r1) -> {
                if (r0 > 0 && r0 < 60) {
                    throw new IllegalStateException("band at " + r0);
                }
                done.addAndGet(r1 - r0);
            }));
            assertEquals("band at 30", e.getMessage());
            assertEquals(60, done.get());
            // the pool still works
            AtomicInteger sum = new AtomicInteger();
            rows.forEachBand(90, (r0, r1) -> sum.addAndGet(r1 - r0));
            assertEquals(90, sum.get());
        }
    }

    @Test
    void nestedCallsFromABandRunInline() {
        try (RowParallel rows = new RowParallel(2)) {
            AtomicInteger inner = new AtomicInteger();
            rows.forEachBand(10, (r0, r1) -> rows.forEachBand(r1 - r0, (a, b) -> inner.addAndGet(b - a)));
            assertEquals(10, inner.get());
        }
    }

    @Test
    void concurrentCallersTakeTurns() throws Exception {
        try (RowParallel rows = new RowParallel(2)) {
            int callers = 4;
            long[] totals = new long[callers];
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int id = c;
                threads[c] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int k = 0; k < 200; k++) {
                        long[] part = new long[2];
                        rows.forEachBand(100, (r0, r1) -> part[r0 == 0 ? 0 : 1] += r1 - r0);
                        totals[id] += part[0] + part[1];
                    }
                });
                threads[c].start();
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(60_000);
            }
            for (int c = 0; c < callers; c++) {
                assertEquals(200 * 100, totals[c], "caller " + c);
            }
        }
    }

    @Test
    void stripesCoverEveryRowOnceWithWorkerIndicesOfThePool() {
        try (RowParallel rows = new RowParallel(3)) {
            for (int rowCount = 0; rowCount < 40; rowCount++) {
                int n = rowCount;
                for (int k = 1; k <= 7; k++) {
                    int stripeRows = k;
                    int[] visits = new int[n];
                    AtomicBoolean[] busy = {new AtomicBoolean(), new AtomicBoolean(), new AtomicBoolean()};
                    rows.forEachStripe(n, stripeRows, (w, r0, r1) -> {
                        // one stripe at a time per worker: its scratch is never shared
                        assertTrue(busy[w].compareAndSet(false, true), "worker " + w + " ran two stripes at once");
                        assertEquals(0, r0 % stripeRows, "stripe start");
                        assertEquals(Math.min(n, r0 + stripeRows), r1, "stripe end");
                        for (int r = r0; r < r1; r++) {
                            visits[r]++;
                        }
                        busy[w].set(false);
                    });
                    for (int r = 0; r < n; r++) {
                        assertEquals(1, visits[r], "row " + r + " of " + n + " in stripes of " + k);
                    }
                }
            }
            assertThrows(IllegalArgumentException.class, () -> rows.forEachStripe(10, 0, (w, a, b) -> { }));
        }
    }

    @Test
    void aStalledWorkerLeavesTheRemainingStripesToTheOthers() throws Exception {
        try (RowParallel rows = new RowParallel(2)) {
            int stripes = 20;
            Thread caller = Thread.currentThread();
            // a worker thread that takes a stripe stalls until the caller has run every other stripe: with
            // fixed halves (forEachBand) the caller would run only half of them and the wait would time out
            CountDownLatch othersDone = new CountDownLatch(stripes - 1);
            AtomicInteger byCaller = new AtomicInteger();
            AtomicBoolean stalled = new AtomicBoolean();
            AtomicBoolean timedOut = new AtomicBoolean();
            rows.forEachStripe(stripes * 3, 3, (w, r0, r1) -> {
                if (Thread.currentThread() == caller) {
                    assertEquals(0, w);
                    byCaller.incrementAndGet();
                    othersDone.countDown();
                } else if (stalled.compareAndSet(false, true)) {
                    try {
                        timedOut.set(!othersDone.await(60, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertFalse(timedOut.get(), "the caller did not take the stalled worker's share");
            assertTrue(byCaller.get() >= stripes - 1, "caller ran " + byCaller.get() + " of " + stripes);
        }
    }

    @Test
    void aFailingStripeIsRethrownAndTheOtherStripesStillRun() {
        try (RowParallel rows = new RowParallel(2)) {
            AtomicInteger done = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> rows.forEachStripe(100, 10, (w, r0, r1) -> {
                        if (r0 == 50) {
                            throw new IllegalStateException("stripe at " + r0);
                        }
                        done.addAndGet(r1 - r0);
                    }));
            assertEquals("stripe at 50", e.getMessage());
            assertEquals(90, done.get());
        }
    }

    @Test
    void afterCloseCallsRunInlineOnTheCaller() {
        RowParallel rows = new RowParallel(2);
        rows.close();
        Thread[] who = new Thread[1];
        rows.forEachBand(100, (r0, r1) -> {
            assertEquals(0, r0);
            assertEquals(100, r1);
            who[0] = Thread.currentThread();
        });
        assertSame(Thread.currentThread(), who[0]);
    }

    @Test
    void rejectsFewerThanOneThread() {
        assertThrows(IllegalArgumentException.class, () -> new RowParallel(0));
    }
}
