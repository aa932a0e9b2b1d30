package org.xanestream.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A rejected message.
 *
 * @param epochMillis when it was rejected
 * @param source      the endpoint it came from
 * @param reason      the reason code
 * @param detail      a human-readable explanation naming the bad value and what was expected
 * @param header      the first at most 4 KiB of the offending header text ("" if none)
 */
public record Rejection(long epochMillis, String source, RejectReason reason, String detail, String header) {
    public static final int MAX_HEADER_CHARS = 4096;

    public Rejection {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        header = header == null ? "" : header.length() > MAX_HEADER_CHARS ? header.substring(0, MAX_HEADER_CHARS) : header;
    }

    /** The first {@code maxBytes} of {@code part[position, limit)} as UTF-8 text (the part is not moved). */
    public static String headerText(ByteBuffer part, int maxBytes) {
        int n = Math.max(0, Math.min(part.remaining(), maxBytes));
        byte[] b = new byte[n];
        part.get(part.position(), b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }
}
