package org.xanestream.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;

/**
 * What the attribute members of one JSON object say (ADZMQ {@code ndattr}, DECTRIS appendix): energy,
 * frame kind and scan id under the {@link AttributeMapping} names, numbers or strings, and the other
 * scalar members as text. The decoders feed it member by member ({@link #read}) and validate what it
 * holds afterwards; {@link AttributeJson} writes the same members.
 *
 * <p>Not thread safe: owned by one decoder on its receive thread, {@link #reset} before each object.
 * Allocation: the strings the parser hands out, and the map of other members when there are any.
 */
public final class AttributeValues {
    private final AttributeMapping mapping;
    private final boolean kindCodeFromNumber;

    private boolean energyPresent;
    private double energyValue = Double.NaN;
    private String energyText;
    private boolean kindPresent;
    private FrameKind kind;
    private String kindText;
    private String scanId;
    private HashMap<String, String> extras;

    /**
     * @param mapping            which members are energy, kind and scan id
     * @param kindCodeFromNumber how a kind given as a JSON number is read: {@code true} as an integral
     *                           kind code within the int range, its text kept only when no kind matches
     *                           (ADZMQ); {@code false} as text through {@link AttributeMapping#parseKind}
     *                           (DECTRIS)
     */
    public AttributeValues(AttributeMapping mapping, boolean kindCodeFromNumber) {
        this.mapping = mapping;
        this.kindCodeFromNumber = kindCodeFromNumber;
    }

    /** Forgets everything read. */
    public void reset() {
        energyPresent = false;
        energyValue = Double.NaN;
        energyText = null;
        kindPresent = false;
        kind = null;
        kindText = null;
        scanId = null;
        extras = null;
    }

    /**
     * Reads the value of member {@code name} whose first token {@code vt} the parser is on; arrays and
     * objects are skipped (they name no energy, kind or scan id, and are no attribute).
     */
    public void read(JsonParser p, String name, JsonToken vt) throws IOException {
        if (name.equals(mapping.energyName())) {
            readEnergy(p, vt);
        } else if (name.equals(mapping.kindName())) {
            readKind(p, vt);
        } else if (name.equals(mapping.scanIdName())) {
            readScanId(p, vt);
        } else {
            String text = scalarText(p, vt);
            if (text != null) {
                if (extras == null) {
                    extras = new HashMap<>();
                }
                extras.put(name, text);
            }
        }
    }

    /** Whether an energy member was given (null counts as absent). */
    public boolean energyPresent() {
        return energyPresent;
    }

    /** The energy as sent (keV or eV), NaN if absent or not a number. */
    public double energyValue() {
        return energyValue;
    }

    /** The energy as sent when it was a string or not a scalar, else {@code null}. */
    public String energyText() {
        return energyText;
    }

    /** Whether a kind member was given (null counts as absent). */
    public boolean kindPresent() {
        return kindPresent;
    }

    /** The kind, {@code null} if absent or unknown. */
    public FrameKind kind() {
        return kind;
    }

    /** The kind as sent when it named no known kind (and for text kinds), else {@code null}. */
    public String kindText() {
        return kindText;
    }

    /** The scan id, {@code null} if absent or blank. */
    public String scanId() {
        return scanId;
    }

    /** The other scalar members as text, {@code null} if there were none. Not copied. */
    public HashMap<String, String> extras() {
        return extras;
    }

    /** A scalar value as text; {@code null} for null, arrays and objects (skipped). */
    private static String scalarText(JsonParser p, JsonToken vt) throws IOException {
        switch (vt) {
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getText();
            case VALUE_TRUE: return "true";
            case VALUE_FALSE: return "false";
            default:
                p.skipChildren();
                return null;
        }
    }

    private void readEnergy(JsonParser p, JsonToken vt) throws IOException {
        switch (vt) {
            case VALUE_NULL:
                return;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                energyPresent = true;
                energyValue = p.getDoubleValue();
                return;
            case VALUE_STRING:
                energyPresent = true;
                energyText = p.getText();
                energyValue = parseDoubleOrNaN(energyText);
                return;
            default:
                p.skipChildren();
                energyPresent = true;
                energyText = String.valueOf(vt);
                energyValue = Double.NaN;
        }
    }

    private static double parseDoubleOrNaN(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private void readKind(JsonParser p, JsonToken vt) throws IOException {
        switch (vt) {
            case VALUE_NULL:
                return;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                if (kindCodeFromNumber) {
                    kindPresent = true;
                    double d = p.getDoubleValue();
                    kind = d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE ? mapping.kindOfCode((int) d) : null;
                    if (kind == null) {
                        kindText = p.getText();
                    }
                    return;
                }
                // else read as text, like a string
            case VALUE_STRING:
                kindPresent = true;
                kindText = p.getText();
                kind = mapping.parseKind(kindText);
                return;
            default:
                p.skipChildren();
                kindPresent = true;
                kindText = String.valueOf(vt);
                kind = null;
        }
    }

    private void readScanId(JsonParser p, JsonToken vt) throws IOException {
        switch (vt) {
            case VALUE_STRING: {
                String s = p.getText().trim();
                scanId = s.isEmpty() ? null : s;
                return;
            }
            case VALUE_NUMBER_INT:
                scanId = p.getText();
                return;
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                scanId = d == Math.rint(d) && Math.abs(d) < 0x1p53 ? Long.toString((long) d) : p.getText();
                return;
            }
            default:
                p.skipChildren();
        }
    }
}
