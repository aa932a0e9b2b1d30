package org.xanestream.deploy;

import org.xanestream.deploy.config.XanestreamConfig;
import org.xanestream.deploy.pipeline.Pipeline;
import org.xanestream.deploy.pipeline.PipelineSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code xanestream run}: the processor service. */
@Command(name = "run",
        description = {"Run the processor service: receive detector frames over ZeroMQ, normalize, drift-correct "
                + "and fit them, publish results to Kafka, and serve /health and /metrics over HTTP.",
                "Stops cleanly on SIGTERM or Ctrl-C (drains the queue and flushes Kafka); exits with status 1 if a "
                        + "stage fails, so a supervisor restarts it."})
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
        PrintWriter out = spec.commandLine().getOut();
        if (printConfig) {
            out.print(config.describe());
            out.flush();
            return 0;
        }
        Launch.configureLogging(config);
        PipelineSettings settings = PipelineSettings.of(config);
        Pipeline pipeline = Pipeline.start(settings);
        Thread hook = new Thread(pipeline::close, "xanestream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("xanestream run: receiving " + pipeline.receiverEndpoint() + " (" + settings.protocol() + ", "
                + settings.receiver().mode() + ")");
        out.println("  Kafka:   " + pipeline.kafkaBootstrap() + "  topics " + pipeline.topics().scans() + ", "
                + pipeline.topics().points() + ", " + pipeline.topics().images() + ", " + pipeline.topics().maps() + ", "
                + pipeline.topics().rejected());
        if (settings.outputDir() != null) {
            out.println("  results: " + settings.outputDir().toAbsolutePath() + "/SCAN_ID.h5 at each scan end");
        }
        out.println("  health:  http://" + settings.http().host() + ":" + pipeline.httpPort() + "/health");
        out.println("  metrics: http://" + settings.http().host() + ":" + pipeline.httpPort() + "/metrics");
        out.println("Stop with Ctrl-C or SIGTERM.");
        out.flush();
        while (!pipeline.awaitClosed(1000)) {
            if (pipeline.failed()) {
                spec.commandLine().getErr().println("xanestream run: a pipeline stage failed: " + pipeline.health().problems());
                pipeline.close();
                return Main.EXIT_FAILURE;
            }
        }
        return 0;
    }
}
