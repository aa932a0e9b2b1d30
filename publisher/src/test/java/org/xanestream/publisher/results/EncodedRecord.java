package org.xanestream.publisher.results;

import java.util.Map;

/** One result record as it travels on the wire: topic kind, key, text headers, value bytes. */
public record EncodedRecord(TopicKind kind, String key, Map<String, String> headers, byte[] value,
                            long timestampMillis) {
}
