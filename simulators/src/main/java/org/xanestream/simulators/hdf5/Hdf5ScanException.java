package org.xanestream.simulators.hdf5;

/** A recorded scan file cannot be used: a dataset is missing, shapes disagree, or values are invalid. */
public final class Hdf5ScanException extends Exception {
    public Hdf5ScanException(String message) {
        super(message);
    }

    public Hdf5ScanException(String message, Throwable cause) {
        super(message, cause);
    }
}
