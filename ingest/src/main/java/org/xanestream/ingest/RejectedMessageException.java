package org.xanestream.ingest;

/**
 * Thrown by decoders for a malformed message; carries the reason code. Stack traces are not filled in:
 * rejection is a normal outcome on a hot path, not a bug.
 */
public final class RejectedMessageException extends Exception {
    private final RejectReason reason;
    private final String headerText;

    public RejectedMessageException(RejectReason reason, String detail, String headerText) {
        super(detail, null, false, false);
        this.reason = reason;
        this.headerText = headerText == null ? "" : headerText;
    }

    public RejectReason reason() {
        return reason;
    }

    public String headerText() {
        return headerText;
    }
}
