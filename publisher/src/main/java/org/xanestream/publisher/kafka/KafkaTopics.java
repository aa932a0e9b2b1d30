package org.xanestream.publisher.kafka;

import org.xanestream.publisher.results.ResultRecordDecoder;

import java.util.List;
import java.util.Objects;

/**
 * The result topic names under one prefix, and the names of the record headers (docs/kafka-topics.md is
 * the authoritative description). Immutable, thread-safe.
 *
 * @param prefix topic prefix, e.g. {@code xanes}
 */
public record KafkaTopics(String prefix) {
    /** Version of the record contract in docs/kafka-topics.md, sent in the {@link #H_SCHEMA} header of every record. */
    public static final int CONTRACT_VERSION = ResultRecordDecoder.SUPPORTED_SCHEMA;

    public static final String H_SCHEMA = "schema";
    public static final String H_SCAN_ID = "scan_id";
    public static final String H_MAP = "map";
    public static final String H_ENERGY_INDEX = "energy_index";
    public static final String H_ENERGY_EV = "energy_ev";
    public static final String H_WIDTH = "width";
    public static final String H_HEIGHT = "height";
    public static final String H_SOURCE_WIDTH = "source_width";
    public static final String H_SOURCE_HEIGHT = "source_height";
    public static final String H_BIN = "bin";
    public static final String H_ROW0 = "row0";
    public static final String H_ROWS = "rows";
    public static final String H_DTYPE = "dtype";
    public static final String H_VERSION = "version";
    public static final String H_FINAL = "final";
    /** The only {@link #H_DTYPE} value: IEEE 754 binary32, little-endian. */
    public static final String DTYPE_FLOAT32 = "float32";

    public KafkaTopics {
        Objects.requireNonNull(prefix, "prefix");
    }

    public String scans() {
        return prefix + ".scans";
    }

    public String points() {
        return prefix + ".points";
    }

    public String images() {
        return prefix + ".images";
    }

    public String maps() {
        return prefix + ".maps";
    }

    public String rejected() {
        return prefix + ".rejected";
    }

    /** All five, in the order scans, points, images, maps, rejected. */
    public List<String> all() {
        return List.of(scans(), points(), images(), maps(), rejected());
    }
}
