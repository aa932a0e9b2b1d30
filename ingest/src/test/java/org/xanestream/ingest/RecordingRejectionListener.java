package org.xanestream.ingest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A thread-safe {@link RejectionListener} that records rejections for tests to await. */
public final class RecordingRejectionListener implements RejectionListener {
    private final LinkedBlockingQueue<Rejection> received = new LinkedBlockingQueue<>();
    private final List<Rejection> all = new ArrayList<>();

    @Override
    public void onRejected(Rejection rejection) {
        synchronized (all) {
            all.add(rejection);
        }
        received.add(rejection);
    }

    /** The next rejection not yet taken, waiting up to 10 s; fails the test if none arrives. */
    public Rejection next() throws InterruptedException {
        Rejection r = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "expected a rejection within 10 s");
        return r;
    }

    /** The next rejection if one is already there, else {@code null}. */
    public Rejection poll() {
        return received.poll();
    }

    /** Every rejection so far, in order. */
    public List<Rejection> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }
}
