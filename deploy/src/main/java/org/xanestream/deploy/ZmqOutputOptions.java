package org.xanestream.deploy;

import java.io.PrintStream;
import java.util.Locale;
import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;
import org.xanestream.ingest.adzmq.AdZmqEncoding;
import org.xanestream.ingest.dectris.DectrisEncoderConfig;
import org.xanestream.ingest.dectris.DectrisEncoding;
import org.xanestream.ingest.dectris.DectrisStreamEncoder;
import org.xanestream.ingest.zmq.ZmqSenderConfig;
import org.xanestream.ingest.zmq.ZmqSenderMode;
import org.xanestream.simulators.sink.ZmqFrameSink;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The ZeroMQ sending options shared by {@code simulate} and {@code replay} (a picocli mixin): endpoint,
 * socket role, protocol and encoding, and how long to wait for a receiver. {@link #open} builds the
 * simulators module's {@link ZmqFrameSink} from them.
 */
final class ZmqOutputOptions {
    /** Longest wait at exit for queued frames to reach the receiver. */
    private static final int MAX_LINGER_MS = 60_000;

    @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "tcp://127.0.0.1:5555",
            description = "ZMQ endpoint to bind or connect (port * binds any free port). Default: ${DEFAULT-VALUE}.")
    String endpoint;

    @Option(names = "--socket", paramLabel = "MODE", defaultValue = "push-bind",
            description = "Socket type and role: push-bind (like a detector), push-connect, pub-bind, pub-connect. "
                    + "PUSH never drops a frame (it waits for the receiver); PUB drops for slow subscribers. "
                    + "Default: ${DEFAULT-VALUE}.")
    String socket;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "adzmq",
            description = "Wire protocol: adzmq (areaDetector NDPluginZMQ array-1.0) or dectris1 (DECTRIS stream v1). "
                    + "Default: ${DEFAULT-VALUE}.")
    String protocol;

    @Option(names = "--encoding", paramLabel = "NAME",
            description = "Pixel encoding: none, lz4 or bslz4 (bitshuffle-LZ4). "
                    + "Default: none for adzmq, bslz4 for dectris1.")
    String encoding;

    @Option(names = "--energy-kev", description = "Send energies in keV instead of eV.")
    boolean energyKev;

    @Option(names = "--kind-as-number",
            description = "Send the frame kind as a number (0 sample, 1 flat, 2 dark) instead of text "
                    + "(Projection, FlatField, DarkField).")
    boolean kindAsNumber;

    @Option(names = "--hwm", paramLabel = "N", defaultValue = "16",
            description = "Send high-water mark, messages queued per peer. Default: ${DEFAULT-VALUE}.")
    int hwm;

    @Option(names = "--send-timeout-ms", paramLabel = "MS", defaultValue = "1000",
            description = "How long one send attempt waits for the receiver before retrying. Default: ${DEFAULT-VALUE}.")
    int sendTimeoutMs;

    @Option(names = "--give-up-s", paramLabel = "S", defaultValue = "0",
            description = "Fail when a frame waited this long for a receiver; 0 waits forever. At the end, frames still "
                    + "queued get this long (at most 60 s; 60 s when 0) to reach the receiver. Default: ${DEFAULT-VALUE}.")
    double giveUpS;

    /**
     * Whether a command's {@code --output} value sends the frames ({@code zmq}) or not ({@code none}).
     *
     * @throws CommandLine.ParameterException for any other value (exit status 2)
     */
    static boolean sends(CommandLine cl, String output) {
        if ("zmq".equalsIgnoreCase(output)) {
            return true;
        }
        if ("none".equalsIgnoreCase(output)) {
            return false;
        }
        throw new CommandLine.ParameterException(cl, "--output must be zmq or none, got '" + output + "'");
    }

    /** "PROTOCOL on ENDPOINT (SOCKET)" for the progress line of an opened sink. */
    String describe(ZmqFrameSink sink) {
        return protocol().name().toLowerCase(Locale.ROOT) + " on " + sink.endpoint() + " (" + socket + ")";
    }

    /** The wire protocol named by {@code --protocol}. */
    ZmqFrameSink.Protocol protocol() {
        return ZmqFrameSink.Protocol.parse(protocol);
    }

    /**
     * Opens the sink: binds or connects the socket.
     *
     * @param log where "waiting for a receiver" goes, or null
     * @throws CommandLine.ParameterException for a bad option value (exit status 2)
     * @throws IllegalStateException          if the endpoint cannot be bound or connected
     */
    ZmqFrameSink open(CommandLine cl, PrintStream log) {
        Sender s = sender(cl);
        return new ZmqFrameSink(s.config(), s.encoder(), Math.round(giveUpS * 1000), log);
    }

    /** Checks the values without opening a socket. */
    void validate(CommandLine cl) {
        sender(cl);
    }

    private record Sender(ZmqSenderConfig config, FrameEncoder encoder) {
    }

    /** The socket settings and encoder the options describe; a bad value is a usage error. */
    private Sender sender(CommandLine cl) {
        ZmqFrameSink.Protocol proto = usage(cl, this::protocol);
        ZmqSenderMode mode = usage(cl, () -> socketMode(socket));
        return new Sender(usage(cl, () -> senderConfig(mode)), usage(cl, () -> encoder(proto)));
    }

    private ZmqSenderConfig senderConfig(ZmqSenderMode mode) {
        if (!(giveUpS >= 0) || Double.isInfinite(giveUpS)) {
            throw new IllegalArgumentException("--give-up-s must be >= 0 (0 = wait forever), got " + giveUpS);
        }
        // Closing waits up to the linger time for queued frames: the last frames and the end of the scan
        // must not be lost when the receiver is a little behind.
        int lingerMs = giveUpS > 0 ? (int) Math.min(MAX_LINGER_MS, Math.round(giveUpS * 1000)) : MAX_LINGER_MS;
        return new ZmqSenderConfig(endpoint, mode, hwm, sendTimeoutMs, lingerMs, ZmqSenderConfig.defaults().handshakeIvlMs());
    }

    private FrameEncoder encoder(ZmqFrameSink.Protocol proto) {
        if (proto == ZmqFrameSink.Protocol.ADZMQ) {
            AdZmqEncoding enc = encoding == null ? AdZmqEncoding.NONE : AdZmqEncoding.fromWireName(encoding);
            if (enc == null) {
                throw new IllegalArgumentException("--encoding for adzmq must be none, lz4 or bslz4, got '" + encoding + "'");
            }
            return new AdZmqEncoder(AdZmqEncoderConfig.defaults().withEncoding(enc).withEnergyInKev(energyKev)
                    .withKindAsNumber(kindAsNumber));
        }
        DectrisEncoding enc = encoding == null ? DectrisEncoding.BITSHUFFLE_LZ4 : DectrisEncoding.fromConfigName(encoding);
        if (enc == null) {
            throw new IllegalArgumentException("--encoding for dectris1 must be none, lz4 or bslz4, got '" + encoding + "'");
        }
        return new DectrisStreamEncoder(DectrisEncoderConfig.defaults().withEncoding(enc).withEnergyInKev(energyKev)
                .withKindAsNumber(kindAsNumber));
    }

    private static ZmqSenderMode socketMode(String s) {
        switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "push-bind": return ZmqSenderMode.PUSH_BIND;
            case "push-connect": return ZmqSenderMode.PUSH_CONNECT;
            case "pub-bind": return ZmqSenderMode.PUB_BIND;
            case "pub-connect": return ZmqSenderMode.PUB_CONNECT;
            default:
                throw new IllegalArgumentException("--socket must be push-bind, push-connect, pub-bind or pub-connect, got '"
                        + s + "'");
        }
    }

    /** Runs a step whose IllegalArgumentException is a usage error (exit status 2). */
    static <T> T usage(CommandLine cl, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage(), e);
        }
    }
}
