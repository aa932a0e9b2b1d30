package org.xanestream.deploy;

import org.xanestream.deploy.config.ConfigException;
import org.xanestream.deploy.config.ConfigKey;
import org.xanestream.deploy.config.ConfigResolver;
import org.xanestream.deploy.config.Section;
import org.xanestream.deploy.config.XanestreamConfig;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the declared configuration keys ({@link XanestreamConfig}) into command-line options of one
 * command: {@code --config FILE} plus one {@code --KEY VALUE} option per key of the command's
 * sections, grouped by section in the help. Nothing about an option is written twice: name, type
 * label, description and default all come from the declaration.
 *
 * <p>One instance per command object; used on the main thread only.
 */
final class ConfigOptions {
    private final Set<Section> sections;
    private final Map<ConfigKey<?>, List<String>> commandDefaults;
    private final Map<ConfigKey<?>, Binding> bindings = new LinkedHashMap<>();
    private final Binding configFile = new Binding();

    /**
     * @param sections        the sections this command uses
     * @param commandDefaults defaults that differ for this command, as text (shown in its help)
     */
    ConfigOptions(Set<Section> sections, Map<ConfigKey<?>, List<String>> commandDefaults) {
        this.sections = EnumSet.copyOf(sections);
        this.commandDefaults = Map.copyOf(commandDefaults);
    }

    /** Adds {@code --config} and the key options to the command. */
    void addTo(CommandSpec spec) {
        spec.usageMessage().sortOptions(false).abbreviateSynopsis(true);
        spec.addOption(OptionSpec.builder("--config")
                .paramLabel("FILE").type(String.class).arity("1")
                .description("YAML configuration file; its keys mirror the --KEY options below "
                        + "(nested or dotted). Options given here override the file.")
                .getter(configFile).setter(configFile)
                .build());
        for (Section section : Section.values()) {
            if (!sections.contains(section)) {
                continue;
            }
            ArgGroupSpec.Builder group = ArgGroupSpec.builder()
                    .heading("%n" + escape(section.title()) + ":%n")
                    .exclusive(false).validate(false).multiplicity("0..1");
            for (ConfigKey<?> key : XanestreamConfig.keys(EnumSet.of(section))) {
                Binding b = new Binding();
                bindings.put(key, b);
                OptionSpec.Builder o = OptionSpec.builder(key.option())
                        .paramLabel(key.type().label())
                        .description(escape(helpText(key)))
                        .getter(b).setter(b);
                if (key.repeatable()) {
                    o.type(List.class).auxiliaryTypes(String.class).arity("1");
                } else {
                    o.type(String.class).arity("1");
                }
                group.addArg(o.build());
            }
            spec.addArgGroup(group.build());
        }
    }

    private String helpText(ConfigKey<?> key) {
        String d = commandDefaults.containsKey(key) ? String.join(", ", commandDefaults.get(key)) : key.defaultText();
        return key.description() + (d.isEmpty() ? "" : " Default: " + d + ".");
    }

    private static String escape(String s) {
        return s.replace("%", "%%").replace("${", "$${");
    }

    /** The configuration file given with {@code --config}, or {@code null}. */
    Path configFile() {
        return configFile.value == null ? null : Path.of((String) configFile.value);
    }

    /** Resolves defaults, the file and the parsed options into a validated configuration. */
    XanestreamConfig resolve() throws ConfigException {
        Map<ConfigKey<?>, ConfigResolver.Raw> cli = new LinkedHashMap<>();
        for (Map.Entry<ConfigKey<?>, Binding> e : bindings.entrySet()) {
            Object v = e.getValue().value;
            if (v instanceof Collection<?> c) {
                if (!c.isEmpty()) {
                    List<String> texts = new ArrayList<>();
                    for (Object o : c) {
                        texts.add(String.valueOf(o));
                    }
                    cli.put(e.getKey(), new ConfigResolver.Raw(texts, e.getKey().option()));
                }
            } else if (v != null) {
                cli.put(e.getKey(), new ConfigResolver.Raw(List.of((String) v), e.getKey().option()));
            }
        }
        return ConfigResolver.resolve(sections, configFile(), cli, commandDefaults);
    }

    /** Holds one option's parsed value; picocli resets it to {@code null} before each parse. */
    private static final class Binding implements IGetter, ISetter {
        Object value;

        @SuppressWarnings("unchecked")
        @Override
        public <T> T get() {
            return (T) value;
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> T set(T v) {
            T old = (T) value;
            value = v;
            return old;
        }
    }
}
