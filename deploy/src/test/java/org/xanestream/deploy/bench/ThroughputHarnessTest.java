package org.xanestream.deploy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ThroughputHarnessTest {
    /** The names the pipeline's threads carry (seen in profiles of bench runs), grouped as the cost report does. */
    @Test
    void threadsAreGroupedByWhatTheyDoFromTheirNames() {
        for (String name : List.of("xanes-processor", "xanes-rows-1")) {
            assertEquals("processing", ThroughputHarness.GROUPS[ThroughputHarness.group(name)], name);
        }
        for (String name : List.of("xanestream-kafka-publisher", "kafka-producer-network-thread | xanestream-publisher",
                "data-plane-kafka-request-handler-0", "data-plane-kafka-network-thread-1-ListenerName(PLAINTEXT)-PLAINTEXT-0",
                "kafka-1-raft-io-thread", "kafka-admin-client-thread | xanestream-health")) {
            assertEquals("Kafka", ThroughputHarness.GROUPS[ThroughputHarness.group(name)], name);
        }
        for (String name : List.of("zmq-rx tcp://127.0.0.1:41233", "iothread-2", "reaper-1")) {
            assertEquals("ZeroMQ", ThroughputHarness.GROUPS[ThroughputHarness.group(name)], name);
        }
        for (String name : List.of("main", "vert.x-eventloop-thread-0", "metrics-meter-tick-thread-1", "Signal Dispatcher")) {
            assertEquals(-1, ThroughputHarness.group(name), name);
        }
    }

    /** On Linux (CI, deployments) the JVM's compiler and GC threads are found in /proc with their CPU ticks. */
    @Test
    void jitCompilerAndGcThreadsAreReadFromProc() {
        java.util.Map<Long, long[]> cpu = ThroughputHarness.jvmThreadCpu();
        assertTrue(cpu.values().stream().anyMatch(v -> v[0] == 0), "a C1 or C2 compiler thread");
        assertTrue(cpu.values().stream().anyMatch(v -> v[0] == 1), "a GC thread");
        assertTrue(cpu.values().stream().allMatch(v -> (v[0] == 0 || v[0] == 1) && v[1] >= 0));
    }
}
