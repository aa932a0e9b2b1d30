package org.xanestream.ingest.adzmq;

import java.util.Objects;
import org.xanestream.ingest.AttributeMapping;

/**
 * Configuration of an {@link AdZmqEncoder}.
 *
 * @param encoding         payload encoding
 * @param legacyShapeOrder write {@code shape} as {@code [x, y]} (old NDPluginZMQ) instead of {@code [rows, cols]}
 * @param attributes       {@code ndattr} names for energy, frame kind and scan id, and the numeric kind codes
 * @param kindAsNumber     write the frame kind as its numeric code instead of text ({@code Projection},
 *                         {@code FlatField}, {@code DarkField}); transmission frames are always text
 * @param energyInKev      write the energy in keV instead of eV
 */
public record AdZmqEncoderConfig(AdZmqEncoding encoding, boolean legacyShapeOrder, AttributeMapping attributes,
                                 boolean kindAsNumber, boolean energyInKev) {
    public AdZmqEncoderConfig {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(attributes, "attributes");
    }

    /** Uncompressed, slow-axis-first shape, default attribute names, kind as text, energy in eV. */
    public static AdZmqEncoderConfig defaults() {
        return new AdZmqEncoderConfig(AdZmqEncoding.NONE, false, AttributeMapping.defaults(), false, false);
    }

    public AdZmqEncoderConfig withEncoding(AdZmqEncoding value) {
        return new AdZmqEncoderConfig(value, legacyShapeOrder, attributes, kindAsNumber, energyInKev);
    }

    public AdZmqEncoderConfig withLegacyShapeOrder(boolean value) {
        return new AdZmqEncoderConfig(encoding, value, attributes, kindAsNumber, energyInKev);
    }

    public AdZmqEncoderConfig withKindAsNumber(boolean value) {
        return new AdZmqEncoderConfig(encoding, legacyShapeOrder, attributes, value, energyInKev);
    }

    public AdZmqEncoderConfig withEnergyInKev(boolean value) {
        return new AdZmqEncoderConfig(encoding, legacyShapeOrder, attributes, kindAsNumber, value);
    }
}
