package org.xanestream.deploy.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validation rule on a parsed configuration value.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface Check<T> {
    /** @return {@code null} if the value is acceptable, else why not (e.g. "must be between 1 and 100") */
    String problem(T value);

    /** Human-readable statement of the rule for the documentation, or {@code null}. */
    default String rule() {
        return null;
    }

    static <T> Check<T> described(String rule, Check<T> check) {
        return new Check<>() {
            @Override
            public String problem(T value) {
                return check.problem(value);
            }

            @Override
            public String rule() {
                return rule;
            }
        };
    }

    static Check<Integer> range(int lo, int hi) {
        return described(lo + " to " + hi, v -> v < lo || v > hi ? "must be between " + lo + " and " + hi : null);
    }

    static Check<Long> rangeLong(long lo, long hi) {
        return described(ValueType.BYTES.format(lo) + " to " + ValueType.BYTES.format(hi),
                v -> v < lo || v > hi ? "must be between " + ValueType.BYTES.format(lo) + " and "
                        + ValueType.BYTES.format(hi) : null);
    }

    static Check<Double> rangeDouble(double lo, double hi) {
        return described(ValueType.DOUBLE.format(lo) + " to " + ValueType.DOUBLE.format(hi),
                v -> v < lo || v > hi ? "must be between " + ValueType.DOUBLE.format(lo) + " and "
                        + ValueType.DOUBLE.format(hi) : null);
    }

    static Check<java.time.Duration> durationRange(java.time.Duration lo, java.time.Duration hi) {
        String text = ValueType.DURATION_TYPE.format(lo) + " to " + ValueType.DURATION_TYPE.format(hi);
        return described(text, v -> v.compareTo(lo) < 0 || v.compareTo(hi) > 0 ? "must be between " + text : null);
    }

    static Check<String> pattern(String regex, String expected) {
        Pattern p = Pattern.compile(regex);
        return described(expected, v -> p.matcher(v).matches() ? null : "must be " + expected);
    }

    static Check<String> notBlank() {
        return v -> v.isBlank() ? "must not be empty" : null;
    }

    /** The file exists and is readable (checked at start-up, so a typo fails fast). */
    static Check<Path> readableFile() {
        return described("an existing readable file", p -> !Files.isRegularFile(p) ? "file " + p.toAbsolutePath() + " does not exist"
                : !Files.isReadable(p) ? "file " + p.toAbsolutePath() + " is not readable" : null);
    }

    /** Reference names: distinct, usable as map names, files readable. */
    static Check<List<ValueType.NamedFile>> namedFiles() {
        return described("distinct names of letters, digits, _ . + -; readable files", list -> {
            Set<String> seen = new HashSet<>();
            for (ValueType.NamedFile nf : list) {
                if (!nf.name().matches("[A-Za-z0-9_.+-]+")) {
                    return "name '" + nf.name() + "' must be letters, digits, _ . + -";
                }
                if (!seen.add(nf.name())) {
                    return "name '" + nf.name() + "' is given twice";
                }
                String p = readableFile().problem(nf.file());
                if (p != null) {
                    return nf.name() + ": " + p;
                }
            }
            return null;
        });
    }
}
