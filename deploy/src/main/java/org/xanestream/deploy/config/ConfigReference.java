package org.xanestream.deploy.config;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renders the configuration reference ({@code docs/configuration.md}) from the declaration in
 * {@link XanestreamConfig}, so the document cannot drift from the code (a test compares them).
 * Regenerate with {@code java -jar deploy/target/xanestream.jar config --markdown > docs/configuration.md}.
 */
public final class ConfigReference {
    private ConfigReference() {
    }

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# xanestream configuration reference\n\n");
        sb.append("<!-- Generated from XanestreamConfig by `xanestream config --markdown`; do not edit by hand. -->\n\n");
        sb.append("Every setting is a key with a type, a default and a validation rule, declared once in\n");
        sb.append("`deploy/src/main/java/org/xanestream/deploy/config/XanestreamConfig.java`. A value comes from, in\n");
        sb.append("increasing precedence:\n\n");
        sb.append("1. the default below;\n");
        sb.append("2. the YAML file given with `--config FILE`, whose keys are the key names below, nested\n");
        sb.append("   (`zmq: {endpoint: ...}`) or dotted (`zmq.endpoint: ...`);\n");
        sb.append("3. the command-line option `--KEY VALUE` (e.g. `--zmq.endpoint tcp://det:5555`).\n\n");
        sb.append("Every value is checked at start-up; a bad one stops the process with exit status 2 and a\n");
        sb.append("message naming the key, where the value came from and why it is wrong. Unknown keys in the\n");
        sb.append("file are errors too (with a suggestion), so a typo never silently falls back to a default.\n");
        sb.append("`xanestream config --config FILE [options]` checks a configuration and prints the effective\n");
        sb.append("values with their origins; `xanestream run --print-config` does the same for `run`.\n\n");
        sb.append("```yaml\n");
        sb.append("zmq:\n  endpoint: tcp://detector-host:5555\n  mode: connect\nprotocol: adzmq\nelement: Ni\n");
        sb.append("reference:\n  NiO: /data/refs/ref_NiO.txt\n  LiNiO2: /data/refs/ref_LiNiO2.txt\n");
        sb.append("kafka:\n  bootstrap: kafka1:9092,kafka2:9092\n  topic-prefix: xanes\nhttp:\n  host: 0.0.0.0\n  port: 8090\n");
        sb.append("```\n\n");

        sb.append("## Value syntax\n\n| type | syntax |\n|---|---|\n");
        Set<ValueType<?>> seen = new LinkedHashSet<>();
        for (ConfigKey<?> k : XanestreamConfig.keys()) {
            if (k.type().choices().isEmpty() && seen.add(k.type())) {
                sb.append("| `").append(k.type().label()).append("` | ").append(cell(k.type().syntax())).append(" |\n");
            }
        }
        sb.append("| `a\\|b` | one of the listed words (case-insensitive) |\n");
        sb.append("\nRepeatable keys take the option several times, or a YAML list.\n");

        for (Section s : Section.values()) {
            List<ConfigKey<?>> keys = XanestreamConfig.keys(EnumSet.of(s));
            if (keys.isEmpty()) {
                continue;
            }
            sb.append("\n## ").append(s.title()).append("\n\n").append(s.blurb()).append("\n\n");
            sb.append("| key | type | default | description |\n|---|---|---|---|\n");
            for (ConfigKey<?> k : keys) {
                String type = "`" + k.type().label() + "`" + (k.repeatable() ? " (repeatable)" : "");
                String def = k.defaultDoc().isEmpty() ? "—" : "`" + k.defaultDoc() + "`";
                StringBuilder desc = new StringBuilder(k.description());
                List<String> rules = k.rules();
                if (!rules.isEmpty() && k.type().choices().isEmpty()) {
                    desc.append(" Allowed: ").append(String.join("; ", rules)).append('.');
                }
                sb.append("| `").append(k.name()).append("` | ").append(cell(type)).append(" | ").append(cell(def))
                        .append(" | ").append(cell(desc.toString())).append(" |\n");
            }
        }
        sb.append("\n## Rules across keys\n\n");
        sb.append("- `ingest.frame-pool-bytes` must be at least `ingest.max-frame-bytes`.\n");
        sb.append("- `zmq.endpoint` may use `*` (any interface / any port) only with `zmq.mode: bind`.\n");
        sb.append("- The element preset with the `fit.*` overrides must keep each window's upper end above its lower end.\n");
        sb.append("\n`xanestream demo` feeds itself from the built-in simulator, so it takes no input or attribute keys,\n");
        sb.append("and its defaults differ for:");
        Map<String, List<String>> demoDefaults = new TreeMap<>();
        XanestreamConfig.DEMO_DEFAULTS.forEach((k, v) -> demoDefaults.put(k.name(), v));
        for (Map.Entry<String, List<String>> e : demoDefaults.entrySet()) {
            sb.append(" `").append(e.getKey()).append(": ").append(String.join(", ", e.getValue())).append('`');
        }
        sb.append(".\n");
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
