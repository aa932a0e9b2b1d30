package org.xanestream.deploy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One configuration key: its dotted name (the YAML key, and the command-line option {@code --name}),
 * type, default, description and validation. Declared once, in {@link XanestreamConfig}.
 *
 * <p>A key is either scalar (one value) or repeatable (a list: the option may be given several times,
 * the YAML value may be a sequence). A key without default is optional: its value is {@code null} (or
 * an empty list) unless set.
 *
 * <p>Immutable and thread safe.
 *
 * @param <T> the value type ({@code List<E>} for repeatable keys)
 */
public final class ConfigKey<T> {
    private final String name;
    private final Section section;
    private final ValueType<?> type;
    private final boolean repeatable;
    private final Supplier<T> defaultValue;
    private final String description;
    private final String defaultDoc;
    private final List<Check<T>> checks;

    private ConfigKey(Builder<T> b) {
        this.name = b.name;
        this.section = Objects.requireNonNull(b.section, "section of " + b.name);
        this.type = b.type;
        this.repeatable = b.repeatable;
        this.defaultValue = b.defaultValue;
        this.description = Objects.requireNonNull(b.description, "description of " + b.name);
        this.defaultDoc = b.defaultDoc;
        this.checks = List.copyOf(b.checks);
        if (!name.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*")) {
            throw new IllegalArgumentException("key name must be dotted lower-case words, got '" + name + "'");
        }
    }

    /** Starts a scalar key. */
    public static <T> Builder<T> scalar(String name, ValueType<T> type) {
        return new Builder<>(name, type, false);
    }

    /** Starts a repeatable key whose value is a list of {@code elementType}. */
    public static <E> Builder<List<E>> list(String name, ValueType<E> elementType) {
        Builder<List<E>> b = new Builder<>(name, elementType, true);
        b.defaultValue = List::of;
        return b;
    }

    public String name() {
        return name;
    }

    /** The command-line option: {@code --} followed by the key name. */
    public String option() {
        return "--" + name;
    }

    public Section section() {
        return section;
    }

    public ValueType<?> type() {
        return type;
    }

    public boolean repeatable() {
        return repeatable;
    }

    public String description() {
        return description;
    }

    /** The default, or {@code null} if the key is optional and unset by default. */
    public T defaultValue() {
        return defaultValue == null ? null : defaultValue.get();
    }

    /** The default as text ({@code ""} for none). */
    public String defaultText() {
        T d = defaultValue();
        return d == null ? "" : format(d);
    }

    /**
     * The default as the documentation states it: a fixed text for defaults that depend on the machine
     * (e.g. "number of cores"), else {@link #defaultText()}.
     */
    public String defaultDoc() {
        return defaultDoc != null ? defaultDoc : defaultText();
    }

    /** Rules stated by the checks, for the documentation. */
    public List<String> rules() {
        List<String> out = new ArrayList<>();
        for (Check<T> c : checks) {
            if (c.rule() != null) {
                out.add(c.rule());
            }
        }
        return out;
    }

    /**
     * Parses and validates raw text values (one for a scalar key, any number for a repeatable one).
     *
     * @param raw    the texts as given
     * @param origin where they came from, e.g. {@code --zmq.rcvhwm} or {@code beamline.yaml}
     * @throws ConfigException naming this key, the origin and the problem
     */
    @SuppressWarnings("unchecked")
    public T parse(List<String> raw, String origin) throws ConfigException {
        if (!repeatable && raw.size() != 1) {
            throw error(origin, "expects one value, got " + raw.size());
        }
        T value;
        try {
            if (repeatable) {
                List<Object> out = new ArrayList<>(raw.size());
                for (String r : raw) {
                    out.add(type.parse(r.trim()));
                }
                value = (T) List.copyOf(out);
            } else {
                value = (T) type.parse(raw.get(0).trim());
            }
        } catch (IllegalArgumentException e) {
            throw error(origin, e.getMessage());
        }
        validate(value, origin);
        return value;
    }

    /** Runs the checks on a value (parsed or default). */
    public void validate(T value, String origin) throws ConfigException {
        if (value == null) {
            return;
        }
        for (Check<T> c : checks) {
            String problem = c.problem(value);
            if (problem != null) {
                throw error(origin, "value " + formatQuoted(value) + " " + problem);
            }
        }
    }

    /** Builds the standard error for this key. */
    public ConfigException error(String origin, String problem) {
        return new ConfigException(name, "invalid " + name + (origin == null || origin.isEmpty() ? "" : " (from " + origin + ")")
                + ": " + problem);
    }

    private String formatQuoted(T value) {
        return "'" + format(value) + "'";
    }

    /** The canonical text of a value of this key. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String format(T value) {
        if (repeatable) {
            List<String> parts = new ArrayList<>();
            for (Object o : (List<?>) value) {
                parts.add(((ValueType) type).format(o));
            }
            return String.join(", ", parts);
        }
        return ((ValueType) type).format(value);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builder; see {@link #scalar} and {@link #list}. */
    public static final class Builder<T> {
        private final String name;
        private final ValueType<?> type;
        private final boolean repeatable;
        private Section section;
        private Supplier<T> defaultValue;
        private String description;
        private String defaultDoc;
        private final List<Check<T>> checks = new ArrayList<>();

        private Builder(String name, ValueType<?> type, boolean repeatable) {
            this.name = name;
            this.type = type;
            this.repeatable = repeatable;
        }

        public Builder<T> in(Section s) {
            this.section = s;
            return this;
        }

        public Builder<T> defaultValue(T value) {
            Objects.requireNonNull(value, "default of " + name);
            this.defaultValue = () -> value;
            return this;
        }

        /** A default owned by another module's config record ({@code defaults()}), read when needed. */
        public Builder<T> defaultFrom(Supplier<T> supplier) {
            this.defaultValue = supplier;
            return this;
        }

        /** A default that depends on the machine, documented as {@code doc}. */
        public Builder<T> defaultFrom(Supplier<T> supplier, String doc) {
            this.defaultValue = supplier;
            this.defaultDoc = doc;
            return this;
        }

        public Builder<T> description(String text) {
            this.description = text;
            return this;
        }

        public Builder<T> check(Check<T> c) {
            checks.add(c);
            return this;
        }

        public ConfigKey<T> build() {
            return new ConfigKey<>(this);
        }
    }
}
