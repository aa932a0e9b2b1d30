package org.xanestream.ingest;

import java.util.Objects;

/**
 * The sender ended a scan (ADZMQ {@code STOP}, DECTRIS {@code dseries_end-1.0}).
 *
 * @param source the endpoint
 * @param scanId the scan that ended, or {@code null} meaning "whatever scan is open on this source"
 */
public record EndOfScan(String source, String scanId) implements IngestEvent {
    public EndOfScan {
        Objects.requireNonNull(source, "source");
    }
}
