package org.xanestream.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What the decoders of JSON-headed detector protocols (ADZMQ, DECTRIS stream) share: their wiring
 * (source, configuration, attribute mapping, frame pool, sequence monitor, JSON parser factory), the
 * copy of a JSON part into parseable bytes, the checks common to both protocols (frame kind, energy,
 * frame size against the limit and the scan's first frame) with the same rejection texts, taking a
 * pooled frame, and the bookkeeping of the scan in progress. The protocol itself (parts, fields, codes,
 * rejection header texts) stays in the subclass.
 *
 * <p>Not thread safe: one instance per receiver, called on the receiver's thread. Allocation: the JSON
 * scratch grows to the largest non-array part seen; checks allocate only when they reject.
 *
 * @param <C> the protocol's decoder configuration
 */
public abstract class JsonFrameDecoder<C> implements FrameDecoder {
    protected final String source;
    protected final C config;
    protected final AttributeMapping mapping;
    protected final FramePool pool;
    protected final FrameSequenceMonitor monitor;
    protected final JsonFactory json;

    private String lastScanId;

    // The JSON part loaded last: an array holding it at an offset (the part's own array or the scratch).
    private byte[] jsonScratch = new byte[1024];
    private byte[] jsonBuf;
    private int jsonOff;
    private int jsonLen;

    /**
     * @param source     the endpoint this decoder's messages come from (copied into every header)
     * @param config     validated configuration
     * @param attributes the attribute mapping of {@code config}
     * @param pool       where frame buffers come from
     * @param monitor    where accepted frames are recorded
     */
    protected JsonFrameDecoder(String source, C config, Function<C, AttributeMapping> attributes, FramePool pool,
                               FrameSequenceMonitor monitor) {
        this.source = Objects.requireNonNull(source, "source");
        this.config = Objects.requireNonNull(config, "config");
        this.mapping = attributes.apply(config);
        this.pool = Objects.requireNonNull(pool, "pool");
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.json = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    }

    public String source() {
        return source;
    }

    public C config() {
        return config;
    }

    @Override
    public FrameSequenceMonitor sequenceMonitor() {
        return monitor;
    }

    /** A rejection of the message being decoded, with the protocol's header text. */
    protected abstract RejectedMessageException reject(RejectReason reason, String detail);

    // ---- JSON parts -----------------------------------------------------------------------------

    /** Makes {@code part[position, limit)} the JSON that {@link #jsonParser} reads (the part is not modified). */
    protected final void loadJson(ByteBuffer part) {
        int len = part.remaining();
        if (part.hasArray()) {
            jsonBuf = part.array();
            jsonOff = part.arrayOffset() + part.position();
        } else {
            if (jsonScratch.length < len) {
                jsonScratch = new byte[Math.max(len, 2 * jsonScratch.length)];
            }
            part.get(part.position(), jsonScratch, 0, len);
            jsonBuf = jsonScratch;
            jsonOff = 0;
        }
        jsonLen = len;
    }

    /** Forgets the loaded JSON (the message's buffers may be reused once decoding returns). */
    protected final void clearJson() {
        jsonBuf = null;
    }

    /** A parser over the loaded JSON. */
    protected final JsonParser jsonParser() throws IOException {
        return json.createParser(jsonBuf, jsonOff, jsonLen);
    }

    /** The first {@code maxBytes} of the loaded JSON as text, "" if none is loaded. */
    protected final String jsonText(int maxBytes) {
        return jsonBuf == null ? "" : new String(jsonBuf, jsonOff, Math.min(jsonLen, maxBytes), StandardCharsets.UTF_8);
    }

    // ---- checks ---------------------------------------------------------------------------------

    /** The kind that {@code from} names (it holds a kind member), else a {@code bad_kind} rejection. */
    protected final FrameKind knownKind(AttributeValues from) throws RejectedMessageException {
        FrameKind kind = from.kind();
        if (kind == null) {
            throw reject(RejectReason.BAD_KIND, "frame kind '" + from.kindText() + "' in '" + mapping.kindName()
                    + "' is not a known text (Projection/Sample/Data, FlatField/Flat/Bkg, DarkField/Dark) or code ("
                    + mapping.sampleCode() + "/" + mapping.flatCode() + "/" + mapping.darkCode() + ")");
        }
        return kind;
    }

    /**
     * The energy in eV that {@code from} gives, NaN for a dark frame without one, else a
     * {@code bad_energy} rejection.
     *
     * @param absentSuffix ends the text of a missing energy, after the attribute name
     */
    protected final double energyEv(FrameKind kind, AttributeValues from, String absentSuffix)
            throws RejectedMessageException {
        double energyEv = from.energyPresent() ? AttributeMapping.toEv(from.energyValue()) : Double.NaN;
        if (kind != FrameKind.DARK && Double.isNaN(energyEv)) {
            if (!from.energyPresent()) {
                throw reject(RejectReason.BAD_ENERGY, kind.name().toLowerCase(Locale.ROOT) + " frame has no '"
                        + mapping.energyName() + absentSuffix);
            }
            throw reject(RejectReason.BAD_ENERGY, "energy '" + mapping.energyName() + "' = "
                    + (from.energyText() != null ? from.energyText() : Double.toString(from.energyValue()))
                    + " is not a finite positive number (keV below " + AttributeMapping.KEV_LIMIT + ", else eV)");
        }
        return energyEv;
    }

    /**
     * The bytes of a declared {@code a × b} image of {@code type}, {@code too_large} if that exceeds the
     * largest frame that may be taken: the configured maximum or the pool budget, whichever is smaller.
     *
     * @param a         first declared dimension, positive
     * @param b         second declared dimension, positive
     * @param shapeText the declared shape as the rejection text shows it
     */
    protected final int frameBytes(long a, long b, PixelType type, long maxFrameBytes, String shapeText)
            throws RejectedMessageException {
        int elem = type.bytes();
        long limit = Math.min(maxFrameBytes, pool.budgetBytes());
        if (a > limit || b > limit || a * b > limit / elem) {
            String what = maxFrameBytes <= pool.budgetBytes()
                    ? "maxFrameBytes " + maxFrameBytes : "the frame pool budget of " + pool.budgetBytes();
            throw reject(RejectReason.TOO_LARGE, "shape " + shapeText + " of " + type.wireName() + " declares "
                    + String.format(Locale.ROOT, "%.4g", (double) a * b * elem) + " bytes, above " + what + " bytes");
        }
        return (int) (a * b * elem);
    }

    /**
     * A pooled frame of {@code bytes} for an image of the scan, after checking its size against the
     * scan's first frame ({@code size_change}); {@code no_buffer} if none frees up in time.
     */
    protected final Frame acquireFrame(String scan, int width, int height, PixelType pixelType, int bytes,
                                       long bufferWaitMs) throws RejectedMessageException, InterruptedException {
        if (!monitor.sizeMatches(scan, width, height, pixelType)) {
            throw reject(RejectReason.SIZE_CHANGE, "frame is " + width + "x" + height + " " + pixelType.wireName()
                    + " but scan '" + scan + "' started with " + monitor.describeScanSize(scan));
        }
        Frame frame = pool.acquire(bytes, bufferWaitMs, TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw reject(RejectReason.NO_BUFFER, "no free frame buffer within " + bufferWaitMs
                    + " ms (pool budget " + pool.budgetBytes() + " bytes): downstream is too slow");
        }
        return frame;
    }

    // ---- scan bookkeeping -----------------------------------------------------------------------

    /** Records an accepted frame in the monitor; its scan becomes the one in progress. */
    protected final void accepted(String scan, long frameNumber, int width, int height, PixelType pixelType) {
        monitor.recordAccepted(scan, frameNumber, width, height, pixelType);
        lastScanId = scan;
    }

    /** Ends the scan in progress in the monitor, if any; returns its id or {@code null}. */
    protected final String endScanInProgress() {
        String ended = lastScanId;
        if (ended != null) {
            monitor.endScan(ended);
        }
        lastScanId = null;
        return ended;
    }
}
