package org.xanestream.deploy;

import org.xanestream.deploy.config.XanestreamConfig;
import org.xanestream.deploy.pipeline.Pipeline;
import org.xanestream.deploy.pipeline.PipelineSettings;
import org.xanestream.ingest.zmq.ZmqSenderConfig;
import org.xanestream.ingest.zmq.ZmqSenderMode;
import org.xanestream.processor.session.ProcessorStats;
import org.xanestream.publisher.dashboard.DashboardConfig;
import org.xanestream.publisher.kafka.KafkaTopics;
import org.xanestream.publisher.kafka.ResultConsumerConfig;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.sink.ZmqFrameSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code xanestream demo}: the whole product in one process — embedded Kafka, the {@code run} pipeline,
 * the live dashboard, and the detector simulator streaming an operando series into the pipeline over a
 * loopback ZMQ socket.
 */
@Command(name = "demo",
        description = {"Everything on one machine with nothing installed: an embedded Kafka broker, the processor, "
                + "the detector simulator streaming an operando series of Ni XANES scans, and the live dashboard. "
                + "Prints where to look; stops cleanly on Ctrl-C."})
final class DemoCommand implements Callable<Integer>, Main.Configured {
    /** Status line period while the demo runs. */
    private static final long STATUS_EVERY_MS = 15_000;

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
        PrintWriter out = spec.commandLine().getOut();
        if (printConfig) {
            out.print(config.describe());
            out.flush();
            return 0;
        }
        Launch.configureLogging(config);
        int scans = config.get(XanestreamConfig.DEMO_SCANS);
        int size = config.get(XanestreamConfig.DEMO_SIZE);
        double rate = config.get(XanestreamConfig.DEMO_FRAME_RATE);
        SimulatorConfig simConfig = SimulatorConfig.defaults().withSeed(config.get(XanestreamConfig.DEMO_SEED))
                .withSize(size, size)
                .withAcquisition(AcquisitionConfig.defaults().withScans(scans).withFrameRateHz(rate).withScanIdPrefix("demo"));

        out.println("xanestream demo: starting the embedded Kafka broker, the processor and the dashboard...");
        out.flush();
        PipelineSettings settings = PipelineSettings.of(config);
        Pipeline pipeline = Pipeline.start(settings);
        AtomicReference<DashboardService> dashboard = new AtomicReference<>();
        AtomicReference<Thread> simulatorThread = new AtomicReference<>();
        Thread hook = new Thread(() -> stop(simulatorThread.get(), dashboard.get(), pipeline), "xanestream-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            KafkaTopics topics = pipeline.topics();
            String host = settings.http().host();
            dashboard.set(DashboardService.start(
                    ResultConsumerConfig.defaults().withBootstrapServers(pipeline.kafkaBootstrap())
                            .withTopicPrefix(topics.prefix()),
                    DashboardConfig.defaults().withHttp(host, config.get(XanestreamConfig.DEMO_DASHBOARD_PORT))));

            XanesSimulator simulator = XanesSimulator.create(simConfig);
            ZmqFrameSink sink = ZmqFrameSink.open(ZmqFrameSink.Protocol.ADZMQ, ZmqSenderConfig.defaults()
                    .withEndpoint(pipeline.receiverEndpoint(), ZmqSenderMode.PUSH_CONNECT)
                    .withLingerMs(60_000), 0, null); // closing waits until the processor took the last frames
            Thread sim = new Thread(() -> simulate(simulator, sink, out), "xanestream-demo-simulator");
            sim.setDaemon(true);
            simulatorThread.set(sim);

            out.println();
            out.println("xanestream demo is running.");
            out.println("  dashboard:  " + dashboard.get().url());
            out.println("  metrics:    http://" + host + ":" + pipeline.httpPort() + "/metrics");
            out.println("  health:     http://" + host + ":" + pipeline.httpPort() + "/health");
            out.println("  Kafka:      " + pipeline.kafkaBootstrap() + " (embedded broker)");
            out.println("  topics:     " + topics.scans() + ", " + topics.points() + ", " + topics.images() + ", "
                    + topics.maps() + ", " + topics.rejected() + "  (docs/kafka-topics.md)");
            out.println("  simulator:  " + scans + " operando scan(s) of " + size + "x" + size + " Ni XANES, "
                    + simulator.energiesEv().length + " energies, " + simulator.plan().frames(0).size()
                    + " frames per scan, " + (rate > 0 ? rate + " frames/s" : "as fast as possible") + ", into "
                    + pipeline.receiverEndpoint());
            out.println("  try:        python3 examples/python/consume_maps.py --bootstrap " + pipeline.kafkaBootstrap()
                    + " --prefix " + topics.prefix());
            out.println("Stop with Ctrl-C.");
            out.flush();
            sim.start();

            long nextStatus = System.currentTimeMillis() + STATUS_EVERY_MS;
            long lastFrames = -1;
            while (!pipeline.awaitClosed(1000)) {
                if (pipeline.failed()) {
                    spec.commandLine().getErr().println("xanestream demo: a pipeline stage failed: "
                            + pipeline.health().problems());
                    return Main.EXIT_FAILURE;
                }
                long frames = pipeline.receiverStats().framesReceived();
                if (System.currentTimeMillis() >= nextStatus && frames != lastFrames) {
                    nextStatus = System.currentTimeMillis() + STATUS_EVERY_MS;
                    lastFrames = frames;
                    ProcessorStats p = pipeline.processorStats();
                    String scan = pipeline.health().currentScan();
                    out.println("  status: scan " + (scan == null ? "-" : scan)
                            + ", " + p.scansEnded() + "/" + scans + " scans done, " + p.energyPoints() + " energy points, "
                            + frames + " frames");
                    out.flush();
                }
            }
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                stop(simulatorThread.get(), dashboard.get(), pipeline);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is stopping everything already
            }
        }
    }

    private static void simulate(XanesSimulator simulator, ZmqFrameSink sink, PrintWriter out) {
        try (simulator; sink) {
            simulator.stream(sink, StreamOptions.quiet(Clock.systemUTC()));
            out.println("  simulator: the series is complete; the dashboard and Kafka stay up until Ctrl-C.");
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            out.println("  simulator stopped: " + Main.describe(e));
            out.flush();
        }
    }

    /** Stops the simulator, then the dashboard, then the pipeline (which drains and stops the broker). */
    private static void stop(Thread simulator, DashboardService dashboard, Pipeline pipeline) {
        if (simulator != null) {
            simulator.interrupt();
            try {
                simulator.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dashboard != null) {
            dashboard.close();
        }
        pipeline.close();
    }
}
