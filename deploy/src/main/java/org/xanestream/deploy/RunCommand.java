package org.xanestream.deploy;

import org.xanestream.deploy.config.XanestreamConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code xanestream run}: the processor service. */
@Command(name = "run",
        description = {"Run the processor service: receive detector frames over ZeroMQ, normalize, drift-correct "
                + "and fit them, publish results to Kafka, and serve /health and /metrics over HTTP.",
                "Stops cleanly on SIGTERM or Ctrl-C (drains the queue and flushes Kafka)."})
final class RunCommand implements Callable<Integer>, Main.Configured {
    private final ConfigOptions options = new ConfigOptions(XanestreamConfig.RUN_SECTIONS, Map.of());

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
