package org.xanestream.deploy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Makes {@code java -jar xanestream.jar run|demo} work without extra JVM flags: the processing kernels
 * use the incubating Vector API, whose module must be added on the command line
 * ({@code --add-modules jdk.incubator.vector}; a jar manifest cannot do it). If it is missing, the
 * command runs in a child JVM with the same JVM options plus that flag, sharing this process's
 * terminal; termination signals are passed on and the child's exit status is returned.
 *
 * <p>Services started by systemd, Kubernetes or compose pass the flag themselves and never relaunch.
 */
public final class Relaunch {
    /** Commands that process frames. */
    private static final Set<String> NEEDS_VECTOR_API = Set.of("run", "demo", "bench");
    private static final String MODULE = "jdk.incubator.vector";
    private static final String MARKER = "xanestream.relaunched";

    private Relaunch() {
    }

    /**
     * The command line of a child JVM running {@code xanestream ARGS} from this installation: this JVM's java,
     * the given options, the Vector API module, this class path.
     */
    public static List<String> javaCommand(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("--add-modules=" + MODULE);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** Whether {@code args} name a processing command and this JVM lacks the Vector API module. */
    static boolean needed(String[] args) {
        if (ModuleLayer.boot().findModule(MODULE).isPresent() || Boolean.getBoolean(MARKER)) {
            return false;
        }
        for (String a : args) {
            if (!a.startsWith("-")) {
                return NEEDS_VECTOR_API.contains(a);
            }
        }
        return false;
    }

    /**
     * Runs the same command in a child JVM with the module added and waits for it.
     *
     * @return the child's exit status
     */
    static int run(String[] args) {
        List<String> options = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        options.add("-D" + MARKER + "=true");
        List<String> cmd = javaCommand(options, List.of(args));
        Process child;
        try {
            child = new ProcessBuilder(cmd).inheritIO().start();
        } catch (java.io.IOException e) {
            System.err.println("xanestream: cannot start the JVM with --add-modules " + MODULE + " (" + e.getMessage()
                    + "); run it as: java --add-modules " + MODULE + " -jar xanestream.jar ...");
            return Main.EXIT_FAILURE;
        }
        // SIGTERM/Ctrl-C on this process: let the child shut down cleanly before this JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    child.waitFor(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "xanestream-relaunch-forward"));
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                child.destroy();
            }
        }
    }
}
