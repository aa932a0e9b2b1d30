package org.xanestream.deploy;

import org.xanestream.deploy.config.XanestreamConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code xanestream demo}: the all-in-one demonstration. */
@Command(name = "demo",
        description = {"Everything on one machine with nothing installed: an embedded Kafka broker, the processor, "
                + "the detector simulator streaming an operando series, and the live dashboard. "
                + "Prints where to look; stops cleanly on Ctrl-C."})
final class DemoCommand implements Callable<Integer>, Main.Configured {
    private final ConfigOptions options = new ConfigOptions(XanestreamConfig.DEMO_SECTIONS, XanestreamConfig.DEMO_DEFAULTS);

    @Spec
    CommandSpec spec;

    @Option(names = "--print-config", description = "Print the effective configuration (with origins) and exit.")
    boolean printConfig;

    @Override
    public ConfigOptions configOptions() {
        return options;
    }

    @Override
    public Integer call() throws Exception {
        XanestreamConfig config = options.resolve();
        if (printConfig) {
            spec.commandLine().getOut().print(config.describe());
            spec.commandLine().getOut().flush();
            return 0;
        }
        return 0;
    }
}
