package org.xanestream.deploy;

import org.xanestream.publisher.dashboard.DashboardConfig;
import org.xanestream.publisher.kafka.ResultConsumerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code xanestream dashboard}: the live web dashboard as a plain Kafka subscriber, so it can run on any
 * host that reaches the broker. Runs until interrupted (Ctrl-C).
 */
@Command(name = "dashboard",
        description = {"Serve the live dashboard: subscribe to the result topics on Kafka and show scans, maps, "
                + "spectra, drift and the operando series in a browser. Runs until Ctrl-C."})
public final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String kafka = ResultConsumerConfig.defaults().bootstrapServers();

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", description = "Result topic prefix (default: ${DEFAULT-VALUE}).")
    String topicPrefix = ResultConsumerConfig.defaults().topicPrefix();

    @Option(names = "--http-host", paramLabel = "HOST",
            description = "Interface to serve on (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes it to the network).")
    String httpHost = DashboardConfig.defaults().httpHost();

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port, 0 = any free port (default: ${DEFAULT-VALUE}).")
    int httpPort = DashboardConfig.defaults().httpPort();

    @Option(names = "--only-new", description = "Show only scans published after start (default: also the retained ones).")
    boolean onlyNew;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        ResultConsumerConfig kc = ResultConsumerConfig.defaults().withBootstrapServers(kafka)
                .withTopicPrefix(topicPrefix).withFromBeginning(!onlyNew);
        DashboardConfig dc = DashboardConfig.defaults().withHttp(httpHost, httpPort);
        PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
        try (DashboardService d = DashboardService.start(kc, dc)) {
            out.println("dashboard: " + d.url() + "  (Kafka " + kafka + ", topics " + topicPrefix + ".*)");
            out.flush();
            Thread hook = new Thread(stop::countDown, "xanes-dashboard-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook has run or is running
                }
            }
        }
        return 0;
    }

    /** Makes a running {@link #call()} return (tests; a shutdown hook does the same on Ctrl-C). */
    void requestStop() {
        stop.countDown();
    }
}
