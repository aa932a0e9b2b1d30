package org.xanestream.publisher.results;

/**
 * One record of the {@code rejected} topic.
 *
 * @param epochMillis when the message was rejected
 * @param source      the endpoint it came from
 * @param reason      the reason code, e.g. {@code bad_json}
 * @param detail      human-readable detail
 */
public record RejectedRecord(long epochMillis, String source, String reason, String detail) {
    public RejectedRecord {
        source = source == null ? "" : source;
        reason = reason == null ? "" : reason;
        detail = detail == null ? "" : detail;
    }
}
