package org.xanestream.deploy.config;

/**
 * Groups of configuration keys, in documentation order. Commands take the sections they use; a YAML
 * file may hold keys of other sections too (one file can serve {@code run} and {@code demo}).
 */
public enum Section {
    INPUT("ZeroMQ input", "Where frames come from and how they are decoded."),
    FRAMES("Frame buffers and queues", "Memory bounds and what happens when a stage falls behind."),
    ATTRIBUTES("Frame attributes", "Names of the sender attributes (ADZMQ ndattr, DECTRIS appendix) holding energy, frame kind and scan id."),
    PROCESSING("Processing and fits", "Element preset, reference spectra, drift correction and map publication."),
    KAFKA("Kafka output", "Where results are published."),
    HTTP("HTTP endpoints", "The /health (JSON) and /metrics (Prometheus) endpoints."),
    DEMO("Demo", "Only for `xanestream demo`: the simulated operando series."),
    LOGGING("Logging", "Console logging.");

    private final String title;
    private final String blurb;

    Section(String title, String blurb) {
        this.title = title;
        this.blurb = blurb;
    }

    public String title() {
        return title;
    }

    public String blurb() {
        return blurb;
    }
}
