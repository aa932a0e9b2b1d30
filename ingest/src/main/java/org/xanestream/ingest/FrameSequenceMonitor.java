package org.xanestream.ingest;

import java.util.Objects;

/**
 * Per-source bookkeeping shared by the protocol decoders: the frame size fixed by the first accepted
 * frame of each scan (a later frame of another size is a {@link RejectReason#SIZE_CHANGE}), and the
 * sender's frame numbers, whose gaps (frames lost upstream), repeats and backward jumps are counted.
 *
 * <p>Use: a decoder validates a frame, calls {@link #sizeMatches} (no side effects), and only after the
 * frame is definitely accepted calls {@link #recordAccepted}; {@link #endScan} forgets a scan.
 * Frame number {@code -1} means "unknown" and is not sequence-checked. The first frame of a scan
 * starts a new sequence (counters of the sender usually keep running across scans).
 *
 * <p>Thread safety: one writer, the decoder's thread. The counters may be read from any thread.
 * Remembers at most {@code maxScans} scans (least recently used forgotten first). Allocates only when
 * a new scan starts.
 */
public final class FrameSequenceMonitor {
    /** Default number of scans remembered at once. */
    public static final int DEFAULT_MAX_SCANS = 8;

    private static final class ScanState {
        String scanId;
        int width;
        int height;
        PixelType pixelType;
        long lastFrameNumber = -1;
        long lastUsed;
    }

    private final ScanState[] scans;
    private long useClock;

    // Single writer (the decoder thread); volatile so metrics threads see current values.
    private volatile long framesRecorded;
    private volatile long gapEvents;
    private volatile long missingFrames;
    private volatile long repeats;
    private volatile long outOfOrder;

    public FrameSequenceMonitor() {
        this(DEFAULT_MAX_SCANS);
    }

    /** @param maxScans scans remembered at once, at least 1 */
    public FrameSequenceMonitor(int maxScans) {
        if (maxScans < 1) {
            throw new IllegalArgumentException("maxScans must be >= 1, got " + maxScans);
        }
        this.scans = new ScanState[maxScans];
    }

    private ScanState find(String scanId) {
        for (ScanState s : scans) {
            if (s != null && s.scanId.equals(scanId)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Whether a frame of this size may join the scan: true for the first frame of a scan or if the
     * size and pixel type equal those of its first frame. No side effects.
     */
    public boolean sizeMatches(String scanId, int width, int height, PixelType pixelType) {
        ScanState s = find(Objects.requireNonNull(scanId, "scanId"));
        return s == null || (s.width == width && s.height == height && s.pixelType == pixelType);
    }

    /**
     * The frame size fixed for a scan, as text for reject details ({@code 2048x2048 uint16}), or
     * {@code "none"} if the scan has no accepted frame. Allocates: call only when rejecting.
     */
    public String describeScanSize(String scanId) {
        ScanState s = find(scanId);
        return s == null ? "none" : s.width + "x" + s.height + " " + s.pixelType.wireName();
    }

    /**
     * Records an accepted frame: fixes the scan's size on its first frame and counts a gap (frame
     * number jumped forward by more than one), a repeat (same number again) or a backward jump
     * (number below the previous one; the sequence restarts from it).
     */
    public void recordAccepted(String scanId, long frameNumber, int width, int height, PixelType pixelType) {
        Objects.requireNonNull(scanId, "scanId");
        ScanState s = find(scanId);
        if (s == null) {
            s = newState(scanId, width, height, pixelType);
        }
        s.lastUsed = ++useClock;
        framesRecorded = framesRecorded + 1;
        if (frameNumber < 0) {
            return;
        }
        long last = s.lastFrameNumber;
        if (last >= 0) {
            if (frameNumber > last + 1) {
                gapEvents = gapEvents + 1;
                missingFrames = missingFrames + (frameNumber - last - 1);
            } else if (frameNumber == last) {
                repeats = repeats + 1;
            } else if (frameNumber < last) {
                outOfOrder = outOfOrder + 1;
            }
        }
        s.lastFrameNumber = frameNumber;
    }

    private ScanState newState(String scanId, int width, int height, PixelType pixelType) {
        int slot = -1;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < scans.length; i++) {
            if (scans[i] == null) {
                slot = i;
                break;
            }
            if (scans[i].lastUsed < oldest) {
                oldest = scans[i].lastUsed;
                slot = i;
            }
        }
        ScanState s = new ScanState();
        s.scanId = scanId;
        s.width = width;
        s.height = height;
        s.pixelType = Objects.requireNonNull(pixelType, "pixelType");
        scans[slot] = s;
        return s;
    }

    /** Forgets a scan (its size and sequence); a later frame with the same id starts afresh. */
    public void endScan(String scanId) {
        for (int i = 0; i < scans.length; i++) {
            if (scans[i] != null && scans[i].scanId.equals(scanId)) {
                scans[i] = null;
            }
        }
    }

    /** Frames recorded as accepted. */
    public long framesRecorded() {
        return framesRecorded;
    }

    /** Number of forward jumps in frame numbers (each is one gap, however many frames it skips). */
    public long gapEvents() {
        return gapEvents;
    }

    /** Sum of the frames skipped by all gaps: frames presumably lost upstream. */
    public long missingFrames() {
        return missingFrames;
    }

    /** Frames whose number equals the previous frame's number. */
    public long repeats() {
        return repeats;
    }

    /** Frames whose number is below the previous frame's number (sender restarted its counter). */
    public long outOfOrder() {
        return outOfOrder;
    }
}
