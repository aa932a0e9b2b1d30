package org.xanestream.ingest;

/**
 * What a receiver hands downstream through its bounded queue: a {@link Frame} or an {@link EndOfScan}.
 */
public sealed interface IngestEvent permits Frame, EndOfScan {
}
