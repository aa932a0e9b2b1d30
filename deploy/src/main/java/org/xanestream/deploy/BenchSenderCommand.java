package org.xanestream.deploy;

import org.xanestream.deploy.bench.CachedFrameSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code xanestream bench-sender} (hidden): the sender JVM of {@code xanestream bench}. */
@Command(name = "bench-sender", hidden = true,
        description = "The frame sender of the throughput harness (started by xanestream bench).")
final class BenchSenderCommand implements Callable<Integer> {
    @Option(names = "--endpoint", required = true, paramLabel = "URL", description = "The pipeline's receiver (PULL, bound).")
    String endpoint;

    @Option(names = "--size", defaultValue = "2048", paramLabel = "PX", description = "Frame side.")
    int size;

    @Option(names = "--scans", defaultValue = "1", paramLabel = "N", description = "Scans.")
    int scans;

    @Option(names = "--chunk", defaultValue = "5", paramLabel = "N", description = "Samples and flats per energy.")
    int chunk;

    @Override
    public Integer call() throws Exception {
        CachedFrameSender.run(endpoint, size, scans, chunk, System.out);
        return 0;
    }
}
