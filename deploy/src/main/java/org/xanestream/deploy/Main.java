package org.xanestream.deploy;

import org.xanestream.deploy.config.BuildInfo;
import org.xanestream.deploy.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.List;

/**
 * The {@code xanestream} command line. Subcommands are registered in {@link #commandLine()}, one line
 * each. Exit status: 0 success, 1 failure at run time, 2 usage or configuration error. Errors are
 * printed as one clear message; {@code --verbose} adds the stack trace.
 */
@Command(name = "xanestream",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Live processor for synchrotron TXM XANES imaging: ZeroMQ frames in, "
                + "normalized and drift-corrected XANES stacks with incrementally fitted maps out to Kafka.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'xanestream COMMAND --help' for the options of a command.",
                "Exit status: 0 ok, 1 failure at run time, 2 usage or configuration error."})
public final class Main implements Runnable {
    /** Exit status of a usage or configuration error. */
    public static final int EXIT_USAGE = 2;
    /** Exit status of a failure at run time. */
    public static final int EXIT_FAILURE = 1;

    private boolean verbose;

    @picocli.CommandLine.Spec
    CommandSpec spec;

    private Main() {
    }

    public static void main(String[] args) {
        if (Relaunch.needed(args)) {
            System.exit(Relaunch.run(args));
        }
        int status = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(status);
    }

    /** Parses and runs; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command tree with every subcommand registered, help and {@code --verbose} on each. */
    public static CommandLine commandLine() {
        return commandLine(List.of());
    }

    /** As {@link #commandLine()}, with extra subcommands (tests). */
    static CommandLine commandLine(List<Object> extra) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.addSubcommand(new RunCommand());
        cl.addSubcommand(new DemoCommand());
        cl.addSubcommand(new SimulateCommand());
        cl.addSubcommand(new ReplayCommand());
        cl.addSubcommand(new DashboardCommand());
        cl.addSubcommand(new ConfigCommand());
        cl.addSubcommand(new BenchCommand());
        cl.addSubcommand(new BenchSenderCommand());
        for (Object o : extra) {
            cl.addSubcommand(o);
        }
        finish(cl, main);
        cl.setExecutionExceptionHandler(main.executionErrors());
        cl.setParameterExceptionHandler(parameterErrors());
        return cl;
    }

    /** Gives every command (ours and those of other modules) --help, --verbose and the config options. */
    private static void finish(CommandLine cl, Main main) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null) {
            spec.mixinStandardHelpOptions(true);
        }
        if (spec.findOption("--verbose") == null) {
            spec.addOption(OptionSpec.builder("--verbose")
                    .description("Print stack traces of errors.")
                    .type(boolean.class).arity("0")
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            if (Boolean.TRUE.equals(value)) {
                                main.verbose = true;
                            }
                            return null;
                        }
                    })
                    .build());
        }
        if (spec.userObject() instanceof Configured c) {
            c.configOptions().addTo(spec);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            finish(sub, main);
        }
    }

    @Override
    public void run() {
        // "xanestream" alone: show what there is to do.
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    private IExecutionExceptionHandler executionErrors() {
        return (Exception ex, CommandLine cl, ParseResult parsed) -> {
            PrintWriter err = cl.getErr();
            String name = cl.getCommandSpec().qualifiedName();
            if (ex instanceof ParameterException pe) {
                return parameterErrors().handleParseException(pe, new String[0]);
            }
            if (ex instanceof ConfigException) {
                err.println(name + ": configuration error: " + ex.getMessage());
                err.println("Run '" + name + " --help' for the options, or see docs/configuration.md.");
                if (verbose) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return EXIT_USAGE;
            }
            err.println(name + ": error: " + describe(ex));
            if (verbose) {
                ex.printStackTrace(err);
            } else {
                err.println("(run with --verbose for details)");
            }
            err.flush();
            return EXIT_FAILURE;
        };
    }

    /** The message of an exception and its causes, without class names unless there is no message. */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable cur = t;
        String last = null;
        int depth = 0;
        while (cur != null && depth++ < 6) {
            String m = cur.getMessage();
            if (m == null || m.isBlank()) {
                m = cur.getClass().getSimpleName();
            }
            if (last == null || !last.contains(m)) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(m);
                last = m;
            }
            cur = cur.getCause();
        }
        return sb.toString();
    }

    private static IParameterExceptionHandler parameterErrors() {
        return (ParameterException ex, String[] args) -> {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            String name = cl.getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            if (cl.getSubcommands().isEmpty() || !"missing command".equals(ex.getMessage())) {
                err.println("Run '" + name + " --help' for usage.");
            } else {
                cl.usage(err);
            }
            err.flush();
            return EXIT_USAGE;
        };
    }

    /** Implemented by commands that take the declared configuration keys as options. */
    interface Configured {
        ConfigOptions configOptions();
    }

    /** The Maven project version, from a resource filtered at build time. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"xanestream " + BuildInfo.version()};
        }
    }
}
