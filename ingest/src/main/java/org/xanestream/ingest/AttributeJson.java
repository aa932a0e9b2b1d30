package org.xanestream.ingest;

import java.util.Map;

/**
 * Writes a frame's attributes as JSON object members, the way the protocol encoders send them (ADZMQ
 * {@code ndattr}, DECTRIS image appendix): the energy (eV or keV; omitted when not finite), the frame
 * kind (text, or the {@link AttributeMapping} code), the scan id, then the header's other attributes
 * as strings. The inverse of what the decoders read through {@link AttributeValues}.
 *
 * <p>Stateless and thread safe. Allocation: none beyond what the caller's builder grows by (a control
 * character in a string is escaped through {@code String.format}).
 */
public final class AttributeJson {
    private AttributeJson() {
    }

    /**
     * Appends the attribute members of {@code h}, comma-separated, without the enclosing braces.
     *
     * @param energyInKev  write the energy in keV instead of eV
     * @param kindAsNumber write the kind as its mapping code (a transmission frame, having no code,
     *                     stays text)
     */
    public static void appendMembers(StringBuilder s, FrameHeader h, AttributeMapping mapping, boolean energyInKev,
                                     boolean kindAsNumber) {
        boolean first = true;
        if (Double.isFinite(h.energyEv())) {
            appendName(s, mapping.energyName(), true);
            s.append(energyInKev ? h.energyEv() / 1000.0 : h.energyEv());
            first = false;
        }
        appendName(s, mapping.kindName(), first);
        if (kindAsNumber && h.kind() != FrameKind.TRANSMISSION) {
            s.append(kindCode(mapping, h.kind()));
        } else {
            appendString(s, kindText(h.kind()));
        }
        appendName(s, mapping.scanIdName(), false);
        appendString(s, h.scanId());
        for (Map.Entry<String, String> e : h.attributes().entrySet()) {
            String name = e.getKey();
            if (name.equals(mapping.energyName()) || name.equals(mapping.kindName())
                    || name.equals(mapping.scanIdName()) || e.getValue() == null) {
                continue;
            }
            appendName(s, name, false);
            appendString(s, e.getValue());
        }
    }

    /** Appends {@code "name":}, preceded by a comma unless {@code first}. */
    public static void appendName(StringBuilder s, String name, boolean first) {
        if (!first) {
            s.append(',');
        }
        appendString(s, name);
        s.append(':');
    }

    /** Appends {@code v} as a quoted JSON string. */
    public static void appendString(StringBuilder s, String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"': s.append("\\\""); break;
                case '\\': s.append("\\\\"); break;
                case '\n': s.append("\\n"); break;
                case '\r': s.append("\\r"); break;
                case '\t': s.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
            }
        }
        s.append('"');
    }

    private static int kindCode(AttributeMapping mapping, FrameKind kind) {
        switch (kind) {
            case DARK: return mapping.darkCode();
            case FLAT: return mapping.flatCode();
            default: return mapping.sampleCode();
        }
    }

    private static String kindText(FrameKind kind) {
        switch (kind) {
            case DARK: return "DarkField";
            case FLAT: return "FlatField";
            case TRANSMISSION: return "Transmission";
            default: return "Projection";
        }
    }
}
