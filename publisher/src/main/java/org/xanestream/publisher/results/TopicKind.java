package org.xanestream.publisher.results;

import java.util.Locale;

/** The five result topics of DESIGN §4.3; the topic name is {@code <prefix>.<suffix>}. */
public enum TopicKind {
    SCANS("scans"), POINTS("points"), IMAGES("images"), MAPS("maps"), REJECTED("rejected");

    private final String suffix;

    TopicKind(String suffix) {
        this.suffix = suffix;
    }

    /** The part after the prefix, e.g. {@code maps}. */
    public String suffix() {
        return suffix;
    }

    /** The full topic name for a prefix, e.g. {@code xanes.maps}. */
    public String topic(String prefix) {
        return prefix + "." + suffix;
    }

    /** The kind of a full topic name under {@code prefix}, or {@code null} if it is not one of ours. */
    public static TopicKind ofTopic(String prefix, String topic) {
        if (topic == null || !topic.startsWith(prefix + ".")) {
            return null;
        }
        String s = topic.substring(prefix.length() + 1).toLowerCase(Locale.ROOT);
        for (TopicKind k : values()) {
            if (k.suffix.equals(s)) {
                return k;
            }
        }
        return null;
    }
}
