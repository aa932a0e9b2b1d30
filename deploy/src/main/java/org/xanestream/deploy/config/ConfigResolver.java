package org.xanestream.deploy.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a configuration: declared defaults, then the YAML file, then command-line values; parses and
 * validates every key of the requested sections and the rules that tie keys together.
 *
 * <p>YAML keys may be nested ({@code zmq: {endpoint: ...}}) or dotted ({@code zmq.endpoint: ...});
 * repeatable keys take a sequence (or, for {@code reference}, a map NAME: FILE). Unknown keys are
 * errors (with a suggestion), so a typo never silently falls back to a default. Keys of sections the
 * command does not use are accepted and ignored.
 *
 * <p>Stateless; thread safe.
 */
public final class ConfigResolver {
    private ConfigResolver() {
    }

    /** Raw text values of one key and where they came from. */
    public record Raw(List<String> values, String origin) {
        public Raw {
            values = List.copyOf(values);
        }
    }

    /**
     * @param sections         the sections the command uses
     * @param file             the YAML file, or {@code null}
     * @param cli              raw command-line values by key (override the file)
     * @param commandDefaults  defaults that differ for this command (e.g. demo: kafka.bootstrap embedded), as text values
     * @throws ConfigException naming the key (or file) and the problem
     */
    public static XanestreamConfig resolve(Set<Section> sections, Path file, Map<ConfigKey<?>, Raw> cli,
                                           Map<ConfigKey<?>, List<String>> commandDefaults) throws ConfigException {
        Map<ConfigKey<?>, Raw> raw = new LinkedHashMap<>();
        if (file != null) {
            raw.putAll(readYaml(file));
        }
        raw.putAll(cli);
        Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
        Map<ConfigKey<?>, String> origins = new LinkedHashMap<>();
        for (ConfigKey<?> k : XanestreamConfig.keys(sections)) {
            Raw r = raw.get(k);
            if (r == null && commandDefaults.containsKey(k)) {
                r = new Raw(commandDefaults.get(k), "default");
            }
            if (r != null) {
                values.put(k, k.parse(r.values(), r.origin()));
                origins.put(k, r.origin());
            } else {
                Object d = defaultOf(k);
                values.put(k, d);
                origins.put(k, "default");
            }
        }
        XanestreamConfig config = new XanestreamConfig(sections, values, origins);
        checkRules(config);
        return config;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object defaultOf(ConfigKey k) throws ConfigException {
        Object d = k.defaultValue();
        k.validate(d, "default");
        return d;
    }

    /** Cross-key rules: each names the keys involved. */
    private static void checkRules(XanestreamConfig c) throws ConfigException {
        Set<Section> s = c.sections();
        if (s.contains(Section.FRAMES)) {
            long pool = c.get(XanestreamConfig.FRAME_POOL_BYTES);
            long max = c.get(XanestreamConfig.MAX_FRAME_BYTES);
            if (pool < max) {
                throw new ConfigException(XanestreamConfig.FRAME_POOL_BYTES.name(), "invalid "
                        + XanestreamConfig.FRAME_POOL_BYTES.name() + " (from " + c.origin(XanestreamConfig.FRAME_POOL_BYTES)
                        + "): " + ValueType.BYTES.format(pool) + " cannot hold one frame of ingest.max-frame-bytes = "
                        + ValueType.BYTES.format(max) + "; raise it or lower ingest.max-frame-bytes");
            }
        }
        if (s.contains(Section.INPUT)) {
            String endpoint = c.get(XanestreamConfig.ZMQ_ENDPOINT);
            String mode = c.get(XanestreamConfig.ZMQ_MODE);
            boolean binds = mode.equals("bind") || mode.equals("sub-bind");
            if (!binds && endpoint.startsWith("tcp://*")) {
                throw XanestreamConfig.ZMQ_ENDPOINT.error(c.origin(XanestreamConfig.ZMQ_ENDPOINT), "'" + endpoint
                        + "' is a bind address but zmq.mode is " + mode + "; give the sender's host, or set zmq.mode bind");
            }
            if (!binds && endpoint.endsWith(":*")) {
                throw XanestreamConfig.ZMQ_ENDPOINT.error(c.origin(XanestreamConfig.ZMQ_ENDPOINT), "'" + endpoint
                        + "' has no port to connect to");
            }
        }
        ModuleConfigs.validate(c);
    }

    /**
     * Reads a YAML file into raw values by key.
     *
     * @throws ConfigException if the file is unreadable, not YAML, not a mapping, or has unknown keys
     */
    public static Map<ConfigKey<?>, Raw> readYaml(Path file) throws ConfigException {
        String name = file.toString();
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(name, "configuration file " + file.toAbsolutePath() + " does not exist");
        } catch (JacksonException e) {
            throw new ConfigException(name, "configuration file " + name + " is not valid YAML: "
                    + e.getOriginalMessage() + locationOf(e));
        } catch (IOException e) {
            throw new ConfigException(name, "cannot read configuration file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        Map<ConfigKey<?>, Raw> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new ConfigException(name, "configuration file " + name + " must be a mapping of keys to values");
        }
        flatten(root, "", name, out);
        return out;
    }

    private static String locationOf(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    private static void flatten(JsonNode node, String prefix, String file, Map<ConfigKey<?>, Raw> out)
            throws ConfigException {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String full = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            ConfigKey<?> key = XanestreamConfig.key(full);
            JsonNode v = e.getValue();
            if (key != null) {
                if (out.containsKey(key)) {
                    throw key.error(file, "is given twice");
                }
                out.put(key, new Raw(texts(key, v, file), file));
            } else if (v.isObject() && isSection(full)) {
                flatten(v, full, file, out);
            } else {
                String hint = suggestion(full);
                throw new ConfigException(full, "unknown configuration key '" + full + "' in " + file
                        + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                        + "; see docs/configuration.md or `xanestream run --help`");
            }
        }
    }

    private static boolean isSection(String prefix) {
        for (ConfigKey<?> k : XanestreamConfig.keys()) {
            if (k.name().startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> texts(ConfigKey<?> key, JsonNode v, String file) throws ConfigException {
        List<String> out = new ArrayList<>();
        if (v.isNull()) {
            throw key.error(file, "has no value (remove the line to use the default)");
        }
        if (v.isArray()) {
            if (!key.repeatable()) {
                throw key.error(file, "expects one value, got a list");
            }
            for (JsonNode item : v) {
                if (!item.isValueNode() || item.isNull()) {
                    throw key.error(file, "list items must be plain values, got " + item);
                }
                out.add(item.asText());
            }
        } else if (v.isObject()) {
            if (key.type() != ValueType.REFERENCE) {
                throw key.error(file, "expects a value, got a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw key.error(file, "entry '" + e.getKey() + "' must map to a file name");
                }
                out.add(e.getKey() + "=" + e.getValue().asText());
            }
        } else {
            out.add(v.asText());
        }
        return out;
    }

    /** The declared key closest to an unknown one (edit distance ≤ 3, or same last word), or {@code null}. */
    static String suggestion(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ConfigKey<?> k : XanestreamConfig.keys()) {
            int d = distance(unknown, k.name());
            String last = k.name().substring(k.name().lastIndexOf('.') + 1);
            String unknownLast = unknown.substring(unknown.lastIndexOf('.') + 1);
            if (last.equals(unknownLast)) {
                d = Math.min(d, 2);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = k.name();
            }
        }
        return bestDistance <= 3 ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
