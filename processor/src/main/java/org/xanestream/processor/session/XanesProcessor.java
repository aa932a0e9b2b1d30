package org.xanestream.processor.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.RejectionListener;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.ImageBinning;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;
import org.xanestream.processor.drift.SeriesAnchor;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.LiveBinnedFitter;
import org.xanestream.processor.fit.XanesFitter;

/**
 * The processor thread: takes {@link IngestEvent}s from the ingest queue, runs one {@link ScanSession} per
 * source, and reports to a {@link ProcessorListener}.
 *
 * <p>Scan lifecycle per source: the first frame of a new scan id starts a scan ({@code onScanStart}, a fitter
 * from the {@link FitterFactory}); a frame with another scan id on the same source ends the open scan first;
 * an {@link EndOfScan} (matching scan id, or {@code null}) ends it; {@link #close()} ends every open scan.
 * Ending a scan completes its open energy point, computes the final maps ({@code onMaps(final=true)}), then
 * calls {@code onScanEnd}, then closes the fitter ({@link XanesFitter#close()}: a fitter made with shared buffers
 * gives its planes to the next scan's). Live maps: after an energy point, if at least {@code mapsIntervalMs} passed since the
 * scan's last snapshot (injected clock); for images larger than {@code liveMapsMaxSide} they are the fits of the
 * binned stack ({@link LiveBinnedFitter}), the final maps always full resolution; if the listener
 * {@link ProcessorListener#followsMapsLeases() follows the leases}, the processor releases each live snapshot
 * after {@code onMaps} and its arrays serve a later one once the listener released them too. Consecutive scans on one source form an operando series: each is
 * registered to the previous one's mean image.
 *
 * <p>Bad input never stops the thread: refused frames and exceptions are counted in {@link #stats()} and
 * logged (rate-limited), listener exceptions likewise. Every frame is released after use, on every path.
 *
 * <p>Threading: {@link #process} and the loop of {@link #run()} must be called from one thread (the one
 * {@link #start()} creates, or a test's). {@link #stats()}, {@link #rejectionCounter()}, {@link #stop()} are
 * thread safe.
 */
public final class XanesProcessor implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XanesProcessor.class);
    private static final long LOG_INTERVAL_MS = 10_000;

    private final ProcessorConfig config;
    private final ElementPreset preset;
    private final FitterFactory fitters;
    /** The listener keeps to the leases of live maps: the processor releases its hold after {@code onMaps}. */
    private final boolean releasesLiveMaps;
    private final ProcessorListener listener;
    private final IngestEventSource source;
    private final LongSupplier clockMillis;
    private final RowParallel rows;
    private final ProcessorStats stats = new ProcessorStats();
    private final Map<String, OpenScan> open = new HashMap<>();
    private final Map<String, Series> series = new HashMap<>();
    private final Map<String, LongAdder> rejectedBySource = new ConcurrentHashMap<>();
    private volatile boolean stopRequested;
    private volatile Thread thread;
    private long lastErrorLogMillis = Long.MIN_VALUE;

    private static final class Series {
        int nextIndex;
        SeriesAnchor anchor;
    }

    private final class OpenScan {
        final ScanSession session;
        final XanesFitter fitter;
        final long rejectedAtStart;
        long lastMapsMillis;
        boolean ending;

        OpenScan(ScanSession session, XanesFitter fitter, long rejectedAtStart, long startMillis) {
            this.session = session;
            this.fitter = fitter;
            this.rejectedAtStart = rejectedAtStart;
            this.lastMapsMillis = startMillis;
        }
    }

    /**
     * @param config      validated settings
     * @param fitters     creates each scan's fitter
     * @param listener    receives results on the processor thread
     * @param source      the ingest queue
     * @param clockMillis epoch milliseconds (injected for tests)
     */
    public XanesProcessor(ProcessorConfig config, FitterFactory fitters, ProcessorListener listener,
                          IngestEventSource source, LongSupplier clockMillis) {
        this.config = Objects.requireNonNull(config, "config");
        this.preset = ElementPreset.of(config.element());
        this.fitters = Objects.requireNonNull(fitters, "fitters");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.releasesLiveMaps = listener.followsMapsLeases();
        this.source = Objects.requireNonNull(source, "source");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        this.rows = new RowParallel(config.effectiveThreads());
    }

    /** The counters; thread safe. */
    public ProcessorStats stats() {
        return stats;
    }

    /**
     * Counts ingest rejections per source so that {@link ScanEnd#framesRejected()} can report those that
     * happened while a scan was open. Thread safe and non-blocking: register it with the receivers.
     */
    public RejectionListener rejectionCounter() {
        return this::countRejection;
    }

    private void countRejection(Rejection r) {
        rejectedBySource.computeIfAbsent(r.source(), k -> new LongAdder()).increment();
    }

    private long rejectedSoFar(String src) {
        LongAdder a = rejectedBySource.get(src);
        return a == null ? 0 : a.sum();
    }

    /** Starts the processor thread ({@code xanes-processor}). */
    public synchronized Thread start() {
        if (thread != null) {
            throw new IllegalStateException("processor already started");
        }
        Thread t = new Thread(this, "xanes-processor");
        thread = t;
        t.start();
        return t;
    }

    /** Asks the loop to stop after the current event; {@link #close()} also ends open scans. Thread safe. */
    public void stop() {
        stopRequested = true;
    }

    /** The loop: polls the source until {@link #stop()} or interruption, then ends all open scans. */
    @Override
    public void run() {
        try {
            while (!stopRequested && !Thread.currentThread().isInterrupted()) {
                IngestEvent ev;
                try {
                    ev = source.poll(config.pollTimeoutMs(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (ev != null) {
                    process(ev);
                }
            }
        } finally {
            endAllScans();
        }
    }

    /**
     * Stops the thread (if started), waits for it to end its open scans, and releases the worker pool. If the
     * processor was driven through {@link #process} instead, ends the open scans on the calling thread.
     */
    @Override
    public void close() {
        stopRequested = true;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(TimeUnit.MINUTES.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            endAllScans();
        }
        rows.close();
    }

    /** Handles one event. Processor thread only. Releases frames. */
    public void process(IngestEvent event) {
        if (event instanceof Frame f) {
            try {
                processFrame(f);
            } catch (RuntimeException e) {
                stats.processingErrors++;
                logError("frame " + f.header() + " failed", e);
            } finally {
                f.release();
            }
        } else if (event instanceof EndOfScan end) {
            try {
                OpenScan s = open.get(end.source());
                if (s != null && (end.scanId() == null || end.scanId().equals(s.session.info().scanId()))) {
                    endScan(end.source(), s);
                } else {
                    stats.unmatchedEndOfScan++;
                }
            } catch (RuntimeException e) {
                stats.processingErrors++;
                logError("end of scan " + end + " failed", e);
            }
        }
    }

    private void processFrame(Frame f) {
        FrameHeader h = f.header();
        OpenScan s = open.get(h.source());
        if (s != null && !s.session.info().scanId().equals(h.scanId())) {
            endScan(h.source(), s);
            s = null;
        }
        if (s == null) {
            s = startScan(h);
        }
        if (!s.session.accept(f)) {
            stats.framesRejected++;
            logError("frame of " + h.width() + "x" + h.height() + " refused in scan " + h.scanId() + " of "
                    + s.session.info().width() + "x" + s.session.info().height(), null);
        }
    }

    private OpenScan startScan(FrameHeader h) {
        long now = clockMillis.getAsLong();
        Series ser = series.computeIfAbsent(h.source(), k -> new Series());
        ScanInfo info = new ScanInfo(h.scanId(), preset.element(), preset.edgeEv(), h.width(), h.height(), null,
                now, ser.nextIndex++);
        XanesFitter fitter = fitters.create(info);
        int bin = ImageBinning.binFactor(info.width(), info.height(), config.liveMapsMaxSide());
        if (bin > 1) {
            ScanInfo binnedInfo = info.withSize(ImageBinning.binnedSize(info.width(), bin),
                    ImageBinning.binnedSize(info.height(), bin));
            fitter = new LiveBinnedFitter(fitter, fitters.create(binnedInfo), info.width(), info.height(), bin, rows);
        }
        String src = h.source();
        OpenScan[] holder = new OpenScan[1];
        ScanSession session = new ScanSession(info, config.session(), config.drift(), rows, fitter, ser.anchor,
                stats, clockMillis, p -> onPoint(holder[0], p));
        OpenScan s = new OpenScan(session, fitter, rejectedSoFar(src), now);
        holder[0] = s;
        open.put(src, s);
        stats.scansStarted++;
        safely(() -> listener.onScanStart(info));
        return s;
    }

    private void onPoint(OpenScan s, EnergyPoint p) {
        long t1 = System.nanoTime();
        safely(() -> listener.onEnergyPoint(p));
        long now = clockMillis.getAsLong();
        if (!s.ending && now - s.lastMapsMillis >= config.mapsIntervalMs()) {
            s.lastMapsMillis = now;
            MapsSnapshot maps = snapshot(s, false, now);
            safely(() -> listener.onMaps(maps));
            if (releasesLiveMaps) {
                maps.release();
            }
        }
        stats.lastEnergyUpdateNanos = t1 - s.session.lastPointStartNanos();
        // work the fitter deferred, now that the point's results are out
        try {
            s.fitter.catchUp();
        } catch (RuntimeException e) {
            stats.processingErrors++;
            logError("deferred fit work of scan " + s.session.info().scanId() + " failed", e);
        }
    }

    private MapsSnapshot snapshot(OpenScan s, boolean finalSnapshot, long now) {
        long t0 = System.nanoTime();
        MapsSnapshot m = s.fitter.snapshot(s.session.info().scanId(), finalSnapshot, now);
        stats.lastSnapshotNanos = System.nanoTime() - t0;
        stats.mapsSnapshots++;
        return m;
    }

    private void endScan(String src, OpenScan s) {
        try {
            finishScan(src, s);
        } finally {
            try {
                s.fitter.close();
            } catch (RuntimeException e) {
                stats.processingErrors++;
                logError("closing the fitter of scan " + s.session.info().scanId() + " failed", e);
            }
        }
    }

    /** {@link #endScan} up to the fitter's close. */
    private void finishScan(String src, OpenScan s) {
        open.remove(src);
        ScanSession session = s.session;
        s.ending = true; // the final snapshot follows: no live one for the last point
        try {
            session.finish();
        } catch (RuntimeException e) {
            stats.processingErrors++;
            logError("completing the last energy point of scan " + session.info().scanId() + " failed", e);
        }
        long now = clockMillis.getAsLong();
        MapsSnapshot finalMaps = null;
        try {
            finalMaps = snapshot(s, true, now);
        } catch (RuntimeException e) {
            stats.processingErrors++;
            logError("final maps of scan " + session.info().scanId() + " failed", e);
        }
        if (finalMaps != null) {
            MapsSnapshot m = finalMaps;
            safely(() -> listener.onMaps(m));
        }
        Series ser = series.get(src);
        if (ser != null && session.energiesDone() > 0) {
            ser.anchor = session.anchorForNextScan();
        }
        long rejected = rejectedSoFar(src) - s.rejectedAtStart + session.framesRefused();
        ScanEnd end = new ScanEnd(session.info(), session.energiesDone(), session.framesReceived(), rejected,
                finalMaps, session.stack().energiesSorted(), now);
        stats.scansEnded++;
        safely(() -> listener.onScanEnd(end));
    }

    private void endAllScans() {
        for (Map.Entry<String, OpenScan> e : new ArrayList<>(open.entrySet())) {
            try {
                endScan(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                stats.processingErrors++;
                logError("ending scan on " + e.getKey() + " failed", ex);
            }
        }
    }

    private void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            stats.listenerErrors++;
            logError("listener failed", e);
        }
    }

    private void logError(String message, Throwable e) {
        long now = clockMillis.getAsLong();
        if (lastErrorLogMillis == Long.MIN_VALUE || now - lastErrorLogMillis >= LOG_INTERVAL_MS) {
            lastErrorLogMillis = now;
            if (e == null) {
                LOG.warn("{} (further problems logged at most every {} s; see counters)", message, LOG_INTERVAL_MS / 1000);
            } else {
                LOG.warn("{} (further problems logged at most every {} s; see counters)", message, LOG_INTERVAL_MS / 1000, e);
            }
        }
    }
}
