package org.xanestream.deploy;

import org.xanestream.deploy.bench.ThroughputHarness;
import org.xanestream.deploy.config.ConfigKey;
import org.xanestream.deploy.config.Section;
import org.xanestream.deploy.config.XanestreamConfig;
import org.xanestream.deploy.pipeline.PipelineSettings;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.ingest.zmq.ZmqReceiverMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code xanestream bench} (hidden): the end-to-end throughput harness — see {@link ThroughputHarness}
 * and docs/deployment.md. Takes every processing, Kafka and HTTP key like {@code run}.
 */
@Command(name = "bench", hidden = true,
        description = {"End-to-end throughput harness: the run pipeline with an embedded Kafka broker here, a frame "
                + "sender in a separate JVM streaming simulated frames over tcp://127.0.0.1 as fast as they are taken. "
                + "Reports sustained frames/s, losses, and energy point complete -> maps acknowledged percentiles."})
final class BenchCommand implements Callable<Integer>, Main.Configured {
    private final ConfigOptions options = new ConfigOptions(
            EnumSet.complementOf(EnumSet.of(Section.INPUT, Section.DEMO)),
            benchDefaults());

    /** The demo's defaults (embedded broker, built-in references, the simulator's points) on a free HTTP port. */
    private static Map<ConfigKey<?>, List<String>> benchDefaults() {
        Map<ConfigKey<?>, List<String>> d = new HashMap<>(XanestreamConfig.DEMO_DEFAULTS);
        d.put(XanestreamConfig.HTTP_PORT, List.of("0"));
        return d;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "2048", description = "Frame side. Default: ${DEFAULT-VALUE}.")
    int size;

    @Option(names = "--scans", paramLabel = "N", defaultValue = "1", description = "Scans to stream. Default: ${DEFAULT-VALUE}.")
    int scans;

    @Option(names = "--chunk", paramLabel = "N", defaultValue = "5",
            description = "Samples and flats per energy (keep session.samples-per-point equal). Default: ${DEFAULT-VALUE}.")
    int chunk;

    @Option(names = "--sender-heap", paramLabel = "SIZE", defaultValue = "1g",
            description = "Heap of the sender JVM. Default: ${DEFAULT-VALUE}.")
    String senderHeap;

    @Override
    public ConfigOptions configOptions() {
        return options;
    }

    @Override
    public Integer call() throws Exception {
        XanestreamConfig config = options.resolve();
        Launch.configureLogging(config);
        PipelineSettings settings = PipelineSettings.of(config).withReceiver(ZmqReceiverConfig.defaults()
                .withEndpoint("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND));
        return ThroughputHarness.run(settings, size, scans, chunk, senderHeap, spec.commandLine().getOut());
    }
}
