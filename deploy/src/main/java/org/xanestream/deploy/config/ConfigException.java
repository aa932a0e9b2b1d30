package org.xanestream.deploy.config;

/**
 * A configuration value is missing, malformed or out of range. The message names the key, where the
 * value came from and why it is wrong; the command line prints it and exits with status 2.
 */
public final class ConfigException extends Exception {
    private final String key;

    public ConfigException(String key, String message) {
        super(message, null, false, false);
        this.key = key;
    }

    /** The offending key (e.g. {@code zmq.rcvhwm}), or the file name for file-level problems. */
    public String key() {
        return key;
    }
}
