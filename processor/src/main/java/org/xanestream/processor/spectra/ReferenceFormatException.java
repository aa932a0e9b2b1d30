package org.xanestream.processor.spectra;

import java.io.IOException;

/**
 * A reference spectrum file that cannot be used: no energy column, energies not strictly increasing,
 * non-finite or non-positive values, too few points. The message names the file and, where it applies,
 * the 1-based line.
 */
public final class ReferenceFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String origin;
    private final int line;

    /**
     * @param origin the file or resource the spectrum came from
     * @param line   1-based line number, or 0 if the problem is not tied to one line
     * @param detail what is wrong
     */
    public ReferenceFormatException(String origin, int line, String detail) {
        super(origin + (line > 0 ? " line " + line : "") + ": " + detail);
        this.origin = origin;
        this.line = line;
    }

    /** The file or resource the spectrum came from. */
    public String origin() {
        return origin;
    }

    /** 1-based line number of the problem, or 0 if it concerns the whole file. */
    public int line() {
        return line;
    }
}
