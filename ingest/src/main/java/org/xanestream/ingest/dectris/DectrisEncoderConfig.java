package org.xanestream.ingest.dectris;

import java.util.Objects;

import org.xanestream.ingest.AttributeMapping;

/**
 * Configuration of a {@link DectrisStreamEncoder}.
 *
 * @param encoding      image data encoding ({@link DectrisEncoding#BITSHUFFLE_LZ4} picks bs8/bs16/bs32 from
 *                      the pixel type, as a DECTRIS detector does)
 * @param headerDetail  how much the series header carries; {@link HeaderDetail#ALL} sends the pixel mask
 * @param attributes    appendix names for energy, frame kind and scan id, and the numeric kind codes
 * @param kindAsNumber  write the frame kind as its numeric code instead of text ({@code Projection},
 *                      {@code FlatField}, {@code DarkField}); transmission frames are always text
 * @param energyInKev   write the energy in keV instead of eV
 * @param md5Hash       fill {@code dimage-1.0} {@code hash} with the MD5 of the data part, as the
 *                      detector does (costs ~2 ms per MiB); otherwise the hash is empty
 */
public record DectrisEncoderConfig(DectrisEncoding encoding, HeaderDetail headerDetail, AttributeMapping attributes,
                                   boolean kindAsNumber, boolean energyInKev, boolean md5Hash) {
    public DectrisEncoderConfig {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(headerDetail, "headerDetail");
        Objects.requireNonNull(attributes, "attributes");
    }

    /** Bitshuffle-LZ4 (the detectors' default), header detail {@code basic}, default names, kind as text, eV, no hash. */
    public static DectrisEncoderConfig defaults() {
        return new DectrisEncoderConfig(DectrisEncoding.BITSHUFFLE_LZ4, HeaderDetail.BASIC, AttributeMapping.defaults(),
                false, false, false);
    }

    public DectrisEncoderConfig withEncoding(DectrisEncoding value) {
        return new DectrisEncoderConfig(value, headerDetail, attributes, kindAsNumber, energyInKev, md5Hash);
    }

    public DectrisEncoderConfig withHeaderDetail(HeaderDetail value) {
        return new DectrisEncoderConfig(encoding, value, attributes, kindAsNumber, energyInKev, md5Hash);
    }

    public DectrisEncoderConfig withAttributes(AttributeMapping value) {
        return new DectrisEncoderConfig(encoding, headerDetail, value, kindAsNumber, energyInKev, md5Hash);
    }

    public DectrisEncoderConfig withKindAsNumber(boolean value) {
        return new DectrisEncoderConfig(encoding, headerDetail, attributes, value, energyInKev, md5Hash);
    }

    public DectrisEncoderConfig withEnergyInKev(boolean value) {
        return new DectrisEncoderConfig(encoding, headerDetail, attributes, kindAsNumber, value, md5Hash);
    }

    public DectrisEncoderConfig withMd5Hash(boolean value) {
        return new DectrisEncoderConfig(encoding, headerDetail, attributes, kindAsNumber, energyInKev, value);
    }
}
