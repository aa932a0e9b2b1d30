package org.xanestream.publisher.dashboard;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A small JSON writer over Jackson's streaming generator that writes non-finite numbers as
 * {@code null} (JSON has no NaN). Not thread safe; one per document.
 */
final class JsonOut {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final StringWriter out = new StringWriter(1024);
    private final JsonGenerator g;

    JsonOut() {
        try {
            g = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonOut begin() {
        return run(() -> g.writeStartObject());
    }

    JsonOut begin(String field) {
        return run(() -> g.writeObjectFieldStart(field));
    }

    JsonOut end() {
        return run(() -> g.writeEndObject());
    }

    JsonOut array(String field) {
        return run(() -> g.writeArrayFieldStart(field));
    }

    JsonOut array() {
        return run(() -> g.writeStartArray());
    }

    JsonOut endArray() {
        return run(() -> g.writeEndArray());
    }

    JsonOut field(String name) {
        return run(() -> g.writeFieldName(name));
    }

    JsonOut str(String name, String v) {
        return run(() -> {
            if (v == null) {
                g.writeNullField(name);
            } else {
                g.writeStringField(name, v);
            }
        });
    }

    JsonOut num(String name, double v) {
        return run(() -> {
            g.writeFieldName(name);
            writeNum(v);
        });
    }

    JsonOut num(String name, long v) {
        return run(() -> g.writeNumberField(name, v));
    }

    JsonOut bool(String name, boolean v) {
        return run(() -> g.writeBooleanField(name, v));
    }

    /** An array element. */
    JsonOut value(double v) {
        return run(() -> writeNum(v));
    }

    JsonOut value(long v) {
        return run(() -> g.writeNumber(v));
    }

    JsonOut value(String v) {
        return run(() -> g.writeString(v));
    }

    JsonOut nullValue(String name) {
        return run(() -> g.writeNullField(name));
    }

    /** Doubles as a JSON array, rounded to float precision to keep messages small. */
    JsonOut floats(String name, double[] v, int n) {
        return run(() -> {
            g.writeArrayFieldStart(name);
            for (int i = 0; i < n; i++) {
                writeNum(v[i]);
            }
            g.writeEndArray();
        });
    }

    private void writeNum(double v) throws IOException {
        if (Double.isFinite(v)) {
            float f = (float) v;
            if (f == v || Math.abs(v) > 1e6 || v == Math.rint(v)) {
                g.writeNumber(v);
            } else {
                g.writeNumber(f);
            }
        } else {
            g.writeNull();
        }
    }

    String done() {
        try {
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private interface Io {
        void run() throws IOException;
    }

    private JsonOut run(Io io) {
        try {
            io.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
