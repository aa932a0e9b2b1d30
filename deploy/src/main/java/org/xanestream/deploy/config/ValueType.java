package org.xanestream.deploy.config;

import org.xanestream.processor.spectra.ReferenceSpectra;
import org.xanestream.processor.spectra.ReferenceSpectrum;

import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the text of one configuration value (a command-line argument or a YAML scalar) becomes a typed
 * value, and back. Parsing failures throw {@link IllegalArgumentException} whose message says what was
 * expected; {@link ConfigKey} adds the key name and the source.
 *
 * <p>Instances are immutable and thread safe.
 *
 * @param <T> the Java type of the value
 */
public abstract class ValueType<T> {
    private final String label;
    private final String syntax;

    private ValueType(String label, String syntax) {
        this.label = label;
        this.syntax = syntax;
    }

    /** Short placeholder for help texts, e.g. {@code INT}, {@code SIZE}. */
    public final String label() {
        return label;
    }

    /** One line describing the accepted syntax, for the reference documentation. */
    public final String syntax() {
        return syntax;
    }

    /** Parses trimmed text. */
    public abstract T parse(String text);

    /** The canonical text of a value (parseable by {@link #parse}). */
    public String format(T value) {
        return String.valueOf(value);
    }

    public static final ValueType<String> STRING = new ValueType<>("TEXT", "text") {
        @Override
        public String parse(String text) {
            return text;
        }
    };

    public static final ValueType<Integer> INT = new ValueType<>("INT", "integer") {
        @Override
        public Integer parse(String text) {
            try {
                return Integer.valueOf(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an integer");
            }
        }
    };

    public static final ValueType<Long> LONG = new ValueType<>("INT", "integer") {
        @Override
        public Long parse(String text) {
            try {
                return Long.valueOf(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an integer");
            }
        }
    };

    public static final ValueType<Double> DOUBLE = new ValueType<>("NUM", "decimal number") {
        @Override
        public Double parse(String text) {
            double d;
            try {
                d = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a number");
            }
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("'" + text + "' is not a finite number");
            }
            return d;
        }

        @Override
        public String format(Double value) {
            double d = value;
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
    };

    public static final ValueType<Boolean> BOOLEAN = new ValueType<>("BOOL", "true or false (also yes/no, on/off)") {
        @Override
        public Boolean parse(String text) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "true": case "yes": case "on": return Boolean.TRUE;
                case "false": case "no": case "off": return Boolean.FALSE;
                default: throw new IllegalArgumentException("'" + text + "' is not true or false");
            }
        }
    };

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)");

    /** Byte sizes: a number with an optional binary unit. */
    public static final ValueType<Long> BYTES = new ValueType<>("SIZE",
            "bytes, with an optional unit: B, KiB (k), MiB (m), GiB (g) — all powers of 1024, e.g. 256MiB") {
        @Override
        public Long parse(String text) {
            Matcher m = SIZE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a size such as 900KiB, 256MiB or 1GiB");
            }
            long unit;
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "": case "b": unit = 1; break;
                case "k": case "kb": case "kib": unit = 1L << 10; break;
                case "m": case "mb": case "mib": unit = 1L << 20; break;
                case "g": case "gb": case "gib": unit = 1L << 30; break;
                case "t": case "tb": case "tib": unit = 1L << 40; break;
                default: throw new IllegalArgumentException("'" + text + "' has an unknown size unit '" + m.group(2)
                        + "' (use B, KiB, MiB, GiB)");
            }
            double bytes = Double.parseDouble(m.group(1)) * unit;
            if (bytes > Long.MAX_VALUE / 2) {
                throw new IllegalArgumentException("'" + text + "' is too large");
            }
            return (long) bytes;
        }

        @Override
        public String format(Long value) {
            long v = value;
            if (v != 0 && v % (1L << 30) == 0) return (v >> 30) + "GiB";
            if (v != 0 && v % (1L << 20) == 0) return (v >> 20) + "MiB";
            if (v != 0 && v % (1L << 10) == 0) return (v >> 10) + "KiB";
            return Long.toString(v);
        }
    };

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

    /** Durations: a number with a mandatory unit. */
    public static final ValueType<Duration> DURATION_TYPE = new ValueType<>("DURATION",
            "a number with a unit ms, s, m, h or d, e.g. 500ms, 2s, 7d") {
        @Override
        public Duration parse(String text) {
            Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 2s, 1m or 7d");
            }
            double n = Double.parseDouble(m.group(1));
            double nanos;
            switch (m.group(2)) {
                case "ms": nanos = n * 1e6; break;
                case "s": nanos = n * 1e9; break;
                case "m": nanos = n * 60e9; break;
                case "h": nanos = n * 3600e9; break;
                default: nanos = n * 86400e9; break;
            }
            return Duration.ofNanos(Math.round(nanos));
        }

        @Override
        public String format(Duration d) {
            long ms = d.toMillis();
            if (d.toNanos() % 1_000_000 != 0) return d.toNanos() / 1e6 + "ms";
            if (ms % 86_400_000 == 0 && ms != 0) return ms / 86_400_000 + "d";
            if (ms % 3_600_000 == 0 && ms != 0) return ms / 3_600_000 + "h";
            if (ms % 60_000 == 0 && ms != 0) return ms / 60_000 + "m";
            if (ms % 1000 == 0) return ms / 1000 + "s";
            return ms + "ms";
        }
    };

    /** Retention times: a duration, or {@code forever} ({@link #FOREVER}). */
    public static final ValueType<Duration> RETENTION = new ValueType<>("DURATION|forever",
            "a duration (see DURATION) or forever") {
        @Override
        public Duration parse(String text) {
            return text.equalsIgnoreCase("forever") ? FOREVER : DURATION_TYPE.parse(text);
        }

        @Override
        public String format(Duration d) {
            return FOREVER.equals(d) ? "forever" : DURATION_TYPE.format(d);
        }
    };

    /** The value of {@link #RETENTION} meaning "keep forever". */
    public static final Duration FOREVER = java.time.temporal.ChronoUnit.FOREVER.getDuration();

    public static final ValueType<Path> PATH = new ValueType<>("PATH", "a file system path") {
        @Override
        public Path parse(String text) {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid path: " + e.getReason());
            }
        }
    };

    /**
     * A reference spectrum, loaded while parsing so that a missing or malformed file fails at start-up:
     * {@code NAME=FILE}, {@code FILE} (named after the file), {@code builtin:NAME} or {@code NAME=builtin:X}.
     */
    public static final ValueType<Reference> REFERENCE = new ValueType<>("NAME=FILE",
            "NAME=FILE, FILE (named after the file), builtin:NAME or NAME=builtin:NAME (built-ins: "
                    + String.join(", ", ReferenceSpectra.builtinNames()) + "); two-column (energy, normalized mu) or XDI text") {
        @Override
        public Reference parse(String text) {
            try {
                return new Reference(text, ReferenceSpectra.resolve(text));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("file " + Path.of(e.getFile()).toAbsolutePath() + " does not exist");
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot load reference '" + text + "': " + e.getMessage());
            }
        }

        @Override
        public String format(Reference value) {
            return value.spec();
        }
    };

    /**
     * A loaded reference spectrum and the text that named it.
     *
     * @param spec     as given ({@code NiO=/data/ref_NiO.txt}, {@code builtin:NiO}, ...)
     * @param spectrum the loaded spectrum
     */
    public record Reference(String spec, ReferenceSpectrum spectrum) {
        public Reference {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(spectrum, "spectrum");
        }

        public String name() {
            return spectrum.name();
        }
    }

    /** One of a fixed set of lower-case words (matched case-insensitively). */
    public static ValueType<String> choice(String... choices) {
        List<String> list = List.of(choices);
        return new ValueType<>(String.join("|", list), "one of " + String.join(", ", list)) {
            @Override
            public List<String> choices() {
                return list;
            }

            @Override
            public String parse(String text) {
                String t = text.toLowerCase(Locale.ROOT);
                if (!list.contains(t)) {
                    throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", list));
                }
                return t;
            }
        };
    }

    /** Choices offered by {@link #choice}, or an empty list for other types. */
    public List<String> choices() {
        return List.of();
    }

}
