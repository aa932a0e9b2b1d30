package org.xanestream.deploy;

import org.xanestream.deploy.config.ConfigReference;
import org.xanestream.deploy.config.Section;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code xanestream config}: validates a configuration (file and options) and prints the effective
 * values with their origins, or prints the reference documentation of every key.
 */
@Command(name = "config",
        description = {"Check a configuration: resolve defaults, --config FILE and options, validate every key, "
                + "and print the effective values with where each came from.",
                "With --markdown, print the reference of all keys (docs/configuration.md)."})
final class ConfigCommand implements Callable<Integer>, Main.Configured {
    private final ConfigOptions options = new ConfigOptions(EnumSet.allOf(Section.class), Map.of());

    @Spec
    CommandSpec spec;

    @Option(names = "--markdown", description = "Print the configuration reference as Markdown and exit.")
    boolean markdown;

    @Override
    public ConfigOptions configOptions() {
        return options;
    }

    @Override
    public Integer call() throws Exception {
        if (markdown) {
            spec.commandLine().getOut().print(ConfigReference.markdown());
        } else {
            spec.commandLine().getOut().print(options.resolve().describe());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
