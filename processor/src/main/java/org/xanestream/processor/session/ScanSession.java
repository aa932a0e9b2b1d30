package org.xanestream.processor.session;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.ScanInfo;
import org.xanestream.processor.drift.DriftConfig;
import org.xanestream.processor.drift.DriftCorrector;
import org.xanestream.processor.drift.SeriesAnchor;
import org.xanestream.processor.fit.XanesFitter;
import org.xanestream.processor.normalize.DarkFlatNormalizer;
import org.xanestream.processor.normalize.FlatBank;
import org.xanestream.processor.normalize.FrameAccumulator;
import org.xanestream.processor.normalize.InvalidMask;
import org.xanestream.processor.stack.XanesStack;

/**
 * The state machine of one scan: frames in, completed energy points out.
 *
 * <p>Rules:
 * <ul>
 *   <li>Dark frames go into one scan-wide dark sum whenever they come (normally first); they never start or
 *       end an energy point. Points completed before any dark use D = 0 (counted).</li>
 *   <li>Flat, sample and transmission frames belong to the open point if their energy is within the tolerance
 *       of it; a frame of another energy completes the open point and opens a new one. The scan's end
 *       completes the open point too, and so do the planned frame counts when configured.</li>
 *   <li>A completed point with flats stores its mean flat in the {@link FlatBank}. A point with samples uses
 *       its own flat, else borrows the flat of the nearest energy in the bank (flagged through
 *       {@code flatEnergyEv}); with no flat in the scan yet it waits (bounded) for the first one. A point with
 *       flats only just feeds the bank; one with transmission frames uses {@code -ln T}.</li>
 *   <li>A frame whose size differs from the scan's is refused ({@link #accept} returns false).</li>
 * </ul>
 * Each completed point is normalized, drift-corrected, added to the {@link XanesStack} and to the fitter (once),
 * then handed to the {@link PointSink}.
 *
 * <p>Not thread safe (processor thread). Per frame it allocates nothing; per energy point it allocates the
 * aligned image the stack keeps, and small records.
 */
public final class ScanSession {
    /** Receives each completed energy point. */
    @FunctionalInterface
    public interface PointSink {
        void onPoint(EnergyPoint point);
    }

    private final ScanInfo info;
    private final SessionConfig config;
    private final XanesFitter fitter;
    private final ProcessorStats stats;
    private final LongSupplier clockMillis;
    private final PointSink sink;
    private final int width;
    private final int height;
    private final int pixels;
    private final FrameAccumulator darks;
    private final FrameAccumulator samples;
    private final FrameAccumulator flats;
    private final FrameAccumulator transmissions;
    private final FlatBank flatBank;
    private final InvalidMask invalid;
    private final DarkFlatNormalizer normalizer;
    private final DriftCorrector drift;
    private final XanesStack stack;
    private final float[] mu;
    private float[] darkMean;
    private int darkMeanFrames;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private double pointEnergyEv = Double.NaN;
    private int pointIndex;
    private long framesReceived;
    private long framesRefused;
    private long lastPointStartNanos;

    private record Pending(double energyEv, float[] sampleSum, int frames) {
    }

    /**
     * @param anchor the previous scan of the series for cross-scan registration, or {@code null}
     */
    public ScanSession(ScanInfo info, SessionConfig config, DriftConfig driftConfig, RowParallel rows,
                       XanesFitter fitter, SeriesAnchor anchor, ProcessorStats stats, LongSupplier clockMillis,
                       PointSink sink) {
        this.info = info;
        this.config = config;
        this.fitter = fitter;
        this.stats = stats;
        this.clockMillis = clockMillis;
        this.sink = sink;
        this.width = info.width();
        this.height = info.height();
        this.pixels = width * height;
        this.darks = new FrameAccumulator(width, height, rows);
        this.samples = new FrameAccumulator(width, height, rows);
        this.flats = new FrameAccumulator(width, height, rows);
        this.transmissions = new FrameAccumulator(width, height, rows);
        this.flatBank = new FlatBank(pixels, config.flatBankSize());
        this.invalid = new InvalidMask(pixels);
        this.normalizer = new DarkFlatNormalizer(rows);
        this.drift = new DriftCorrector(width, height, driftConfig, rows, anchor);
        this.stack = new XanesStack(width, height, rows);
        this.mu = new float[pixels];
    }

    public ScanInfo info() {
        return info;
    }

    public XanesStack stack() {
        return stack;
    }

    public DriftCorrector drift() {
        return drift;
    }

    /** Frames accumulated in this scan. */
    public long framesReceived() {
        return framesReceived;
    }

    /** Frames refused (size change). */
    public long framesRefused() {
        return framesRefused;
    }

    /** Energy points completed. */
    public int energiesDone() {
        return pointIndex;
    }

    /**
     * Accumulates a frame of this scan. Does not release it.
     *
     * @return false if the frame was refused because its size differs from the scan's
     */
    public boolean accept(Frame frame) {
        FrameHeader h = frame.header();
        if (h.width() != width || h.height() != height) {
            framesRefused++;
            return false;
        }
        invalid.merge(frame.pixelMask());
        FrameKind kind = h.kind();
        if (kind == FrameKind.DARK) {
            darks.add(frame);
            stats.darkFrames++;
        } else {
            double e = h.energyEv();
            if (pointEnergyEv == pointEnergyEv && Math.abs(e - pointEnergyEv) > config.energyToleranceEv()) {
                completePoint();
            }
            if (pointEnergyEv != pointEnergyEv) {
                pointEnergyEv = e;
            }
            switch (kind) {
                case FLAT:
                    flats.add(frame);
                    stats.flatFrames++;
                    break;
                case SAMPLE:
                    samples.add(frame);
                    stats.sampleFrames++;
                    break;
                case TRANSMISSION:
                    transmissions.add(frame);
                    stats.transmissionFrames++;
                    break;
                default:
                    throw new IllegalStateException("unknown frame kind " + kind);
            }
        }
        framesReceived++;
        stats.framesAccumulated++;
        if (plannedCountsMet()) {
            completePoint();
        }
        return true;
    }

    private boolean plannedCountsMet() {
        int planned = config.plannedSamplesPerPoint();
        if (planned == 0 || pointEnergyEv != pointEnergyEv) {
            return false;
        }
        if (transmissions.frames() >= planned) {
            return true;
        }
        return samples.frames() >= planned
                && (config.plannedFlatsPerPoint() == 0 || flats.frames() >= config.plannedFlatsPerPoint());
    }

    /**
     * Ends the scan: completes the open point, drops points still waiting for a flat (counted).
     */
    public void finish() {
        if (pointEnergyEv == pointEnergyEv) {
            completePoint();
        }
        if (!pending.isEmpty()) {
            stats.pointsWithoutFlat += pending.size();
            pending.clear();
        }
    }

    /** {@link System#nanoTime()} when the latest energy point started its normalization. */
    public long lastPointStartNanos() {
        return lastPointStartNanos;
    }

    /** Completes the open point (whatever it holds) and closes it. */
    private void completePoint() {
        lastPointStartNanos = System.nanoTime();
        double e = pointEnergyEv;
        pointEnergyEv = Double.NaN;
        try {
            if (flats.frames() > 0) {
                flatBank.store(e, flats, config.energyToleranceEv());
            }
            if (transmissions.frames() > 0) {
                normalizer.transmission(transmissions.sum(), transmissions.frames(), invalid.mask(), mu, width, height);
                emit(e, transmissions.frames(), 0, Double.NaN);
            } else if (samples.frames() > 0) {
                int slot = flatBank.nearest(e);
                if (slot < 0) {
                    holdForFlat(e);
                } else {
                    normalizeAndEmit(e, samples.sum(), samples.frames(), slot);
                }
            }
            if (flatBank.size() > 0) {
                while (!pending.isEmpty()) {
                    Pending p = pending.removeFirst();
                    normalizeAndEmit(p.energyEv(), p.sampleSum(), p.frames(), flatBank.nearest(p.energyEv()));
                }
            }
        } finally {
            samples.clear();
            flats.clear();
            transmissions.clear();
        }
    }

    private void holdForFlat(double e) {
        if (pending.size() >= config.maxPendingPoints()) {
            stats.pointsWithoutFlat++;
            return;
        }
        pending.addLast(new Pending(e, samples.sum().clone(), samples.frames()));
    }

    private void normalizeAndEmit(double e, float[] sampleSum, int frames, int flatSlot) {
        float[] dark = darkMean();
        if (dark == null) {
            stats.pointsWithoutDark++;
        }
        normalizer.normalize(sampleSum, frames, flatBank.image(flatSlot), dark, invalid.mask(), mu, width, height);
        double flatEnergy = flatBank.energyEv(flatSlot);
        if (Math.abs(flatEnergy - e) > config.energyToleranceEv()) {
            stats.borrowedFlats++;
        }
        emit(e, frames, flatBank.frames(flatSlot), flatEnergy);
    }

    private float[] darkMean() {
        if (darks.frames() == 0) {
            return null;
        }
        if (darkMean == null) {
            darkMean = new float[pixels];
        }
        if (darkMeanFrames != darks.frames()) {
            darks.meanInto(darkMean);
            darkMeanFrames = darks.frames();
        }
        return darkMean;
    }

    private void emit(double e, int frames, int flatFrames, double flatEnergyEv) {
        float[] aligned = new float[pixels];
        long estimatesBefore = drift.estimates();
        DriftCorrector.Correction c = drift.correct(mu, aligned);
        if (drift.estimates() > estimatesBefore) {
            stats.driftEstimates++;
            stats.driftConfidenceSum += c.confidence();
        }
        if (c.replaced()) {
            stats.driftReplaced++;
        }
        stats.lastDriftXPx = c.dxPx();
        stats.lastDriftYPx = c.dyPx();
        stats.lastDriftConfidence = c.confidence();
        double meanMu = stack.add(e, aligned);
        fitter.addEnergy(e, aligned);
        stats.energyPoints++;
        EnergyPoint p = new EnergyPoint(info.scanId(), pointIndex++, e, frames, flatFrames, flatEnergyEv,
                c.dxPx(), c.dyPx(), c.confidence(), c.replaced(), meanMu, clockMillis.getAsLong(),
                width, height, aligned);
        sink.onPoint(p);
    }

    /** The anchor the next scan of the series registers to: this scan's mean aligned image and offset. */
    public SeriesAnchor anchorForNextScan() {
        float[] mean = new float[pixels];
        stack.meanImageInto(mean);
        return new SeriesAnchor(mean, width, height, drift.offsetXPx(), drift.offsetYPx());
    }
}
