package org.xanestream.publisher.results;

/** A result record that does not follow the contract; the message says which field and why. */
public final class RecordDecodeException extends Exception {
    public RecordDecodeException(String message) {
        super(message);
    }

    public RecordDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
