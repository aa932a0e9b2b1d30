package org.xanestream.publisher.kafka;

import java.util.Map;
import java.util.Objects;

import org.xanestream.ingest.Rejection;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;

/**
 * What the caller threads hand to the publisher thread through the {@link HandOffQueue}. Each event
 * references the processor's (immutable after publication) arrays; nothing is copied on the caller thread.
 */
sealed interface PublishEvent {

    /** Pixel bytes this event keeps alive that the queue may shed under memory pressure (0 if none). */
    long payloadBytes();

    record ScanStarted(ScanInfo info) implements PublishEvent {
        @Override
        public long payloadBytes() {
            return 0;
        }
    }

    /**
     * An energy point: its JSON record is always published; its image may be shed under memory pressure
     * ({@link #stripImage()}, only by the queue under its lock; the publisher thread reads the flag after taking
     * the event from the queue, which orders the accesses).
     */
    final class PointCompleted implements PublishEvent {
        final EnergyPoint point;
        final long handoffMillis;
        private boolean imageStripped;

        PointCompleted(EnergyPoint point, long handoffMillis) {
            this.point = Objects.requireNonNull(point, "point");
            this.handoffMillis = handoffMillis;
        }

        boolean imageStripped() {
            return imageStripped;
        }

        void stripImage() {
            imageStripped = true;
        }

        @Override
        public long payloadBytes() {
            return imageStripped ? 0 : 4L * point.alignedMu().length;
        }
    }

    /** A maps snapshot, live or final ({@code maps.finalSnapshot()}). */
    record MapsUpdated(MapsSnapshot maps) implements PublishEvent {
        boolean isFinal() {
            return maps.finalSnapshot();
        }

        @Override
        public long payloadBytes() {
            long n = 0;
            for (float[] a : maps.maps().values()) {
                n += 4L * a.length;
            }
            return n;
        }
    }

    /**
     * The end of a scan, without a reference to the final map arrays (they travel as a
     * {@link MapsUpdated} before it), so a queued end keeps no pixels alive.
     */
    record ScanEnded(ScanInfo info, int energiesDone, long framesReceived, long framesRejected,
                     int finalMapsVersion, Map<String, MapSummary> summary, boolean whitelineOnly,
                     long epochMillis) implements PublishEvent {
        static ScanEnded of(ScanEnd end) {
            MapsSnapshot fm = end.finalMaps();
            return new ScanEnded(end.info(), end.energiesDone(), end.framesReceived(), end.framesRejected(),
                    fm == null ? -1 : fm.version(), fm == null ? Map.of() : fm.summary(),
                    fm != null && fm.whitelineOnly(), end.epochMillis());
        }

        @Override
        public long payloadBytes() {
            return 0;
        }
    }

    record MessageRejected(Rejection rejection) implements PublishEvent {
        @Override
        public long payloadBytes() {
            return 0;
        }
    }
}
