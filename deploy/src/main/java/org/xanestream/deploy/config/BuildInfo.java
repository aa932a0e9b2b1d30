package org.xanestream.deploy.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this build, from a resource filtered by Maven. Thread safe. */
public final class BuildInfo {
    private static final String VERSION = load();

    private BuildInfo() {
    }

    /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown}. */
    public static String version() {
        return VERSION;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/org/xanestream/deploy/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
