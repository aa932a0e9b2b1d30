package org.xanestream.ingest;

/**
 * What a detector frame shows. {@link #TRANSMISSION} is an extension for pre-normalized input
 * (e.g. replay of FXI files whose {@code /img_xanes} is already (I-D)/(F-D)): the processor takes its
 * pixels as transmission T and uses {@code mu = -ln T} directly.
 */
public enum FrameKind {
    /** Shutter closed: detector offset D. Energy may be NaN. */
    DARK,
    /** Sample moved out of the beam: beam profile F (I0). */
    FLAT,
    /** Sample in the beam: I. */
    SAMPLE,
    /** Already normalized transmission T = (I-D)/(F-D), float pixels. */
    TRANSMISSION
}
