package org.xanestream.ingest.codec;

/** Compressed data is corrupt or decompresses to the wrong size. */
public final class CodecException extends Exception {
    public CodecException(String message) {
        super(message, null, false, false);
    }
}
