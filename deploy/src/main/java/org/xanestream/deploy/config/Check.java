package org.xanestream.deploy.config;

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

    /** Reference names distinct (they name the fraction maps), at most {@code max}. */
    static Check<List<ValueType.Reference>> references(int max) {
        return described("distinct names, at most " + max, list -> {
            if (list.size() > max) {
                return "lists " + list.size() + " references; at most " + max;
            }
            Set<String> seen = new HashSet<>();
            for (ValueType.Reference r : list) {
                if (!seen.add(r.name())) {
                    return "names '" + r.name() + "' twice (names must be distinct: they name the fraction maps)";
                }
            }
            return null;
        });
    }
}
