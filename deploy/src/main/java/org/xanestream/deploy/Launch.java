package org.xanestream.deploy;

import org.xanestream.deploy.config.XanestreamConfig;

/** Start-up chores shared by the long-running commands. */
final class Launch {
    private Launch() {
    }

    /**
     * Sets the console log level. Must run before the first logger is created (slf4j-simple reads its
     * configuration once), i.e. right after the configuration is resolved.
     */
    static void configureLogging(XanestreamConfig config) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", config.get(XanestreamConfig.LOG_LEVEL));
    }
}
