package org.xanestream.publisher.results;

import java.util.List;

/**
 * Feeds encoded records through the real decoder into a listener, synchronously on the caller's
 * thread, counting decode errors like the Kafka consumer does.
 */
public final class FakeResultSource {
    private final ResultRecordDecoder decoder = new ResultRecordDecoder();
    private final ResultListener listener;
    private long delivered;
    private long errors;

    public FakeResultSource(ResultListener listener) {
        this.listener = listener;
    }

    public void feed(EncodedRecord r) {
        try {
            decoder.decode(r.kind(), r.headers()::get, r.value(), r.timestampMillis(), listener);
            delivered++;
        } catch (RecordDecodeException e) {
            errors++;
            listener.onDecodeError(r.kind(), e.getMessage());
        }
    }

    public void feedAll(List<EncodedRecord> records) {
        for (EncodedRecord r : records) {
            feed(r);
        }
    }

    public long delivered() {
        return delivered;
    }

    public long errors() {
        return errors;
    }
}
