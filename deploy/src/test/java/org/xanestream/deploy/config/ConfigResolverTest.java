package org.xanestream.deploy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xanestream.deploy.config.XanestreamConfig.*;

class ConfigResolverTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("beamline.yaml");
        Files.writeString(f, text);
        return f;
    }

    private static Map<ConfigKey<?>, ConfigResolver.Raw> cli(Object... keyAndValue) {
        Map<ConfigKey<?>, ConfigResolver.Raw> m = new LinkedHashMap<>();
        for (int i = 0; i < keyAndValue.length; i += 2) {
            ConfigKey<?> k = (ConfigKey<?>) keyAndValue[i];
            Object v = keyAndValue[i + 1];
            @SuppressWarnings("unchecked")
            List<String> values = v instanceof List<?> l ? (List<String>) l : List.of((String) v);
            m.put(k, new ConfigResolver.Raw(values, k.option()));
        }
        return m;
    }

    private static XanestreamConfig resolve(Path file, Map<ConfigKey<?>, ConfigResolver.Raw> cli) throws ConfigException {
        return ConfigResolver.resolve(RUN_SECTIONS, file, cli, Map.of());
    }

    @Test
    void everyDefaultIsValidInEveryCommand() throws ConfigException {
        XanestreamConfig run = resolve(null, Map.of());
        assertEquals("tcp://127.0.0.1:5555", run.get(ZMQ_ENDPOINT));
        assertEquals(256L << 20, run.get(MAX_FRAME_BYTES));
        assertEquals(List.of(), run.get(REFERENCE));
        ModuleConfigs.processor(run);
        ModuleConfigs.fitSettings(run);
        assertNull(run.get(FIT_EDGE_EV));
        assertEquals("default", run.origin(ZMQ_ENDPOINT));
        XanestreamConfig all = ConfigResolver.resolve(EnumSet.allOf(Section.class), null, Map.of(), Map.of());
        assertEquals(3, all.get(DEMO_SCANS));
        XanestreamConfig demo = ConfigResolver.resolve(DEMO_SECTIONS, null, Map.of(), DEMO_DEFAULTS);
        assertEquals("embedded", demo.get(KAFKA_BOOTSTRAP));
        assertEquals(2, demo.get(REFERENCE).size());
    }

    @Test
    void readsNestedAndDottedYamlKeys() throws Exception {
        Path f = yaml("""
                zmq:
                  endpoint: tcp://detector:6000
                  mode: sub
                kafka.bootstrap: kafka1:9092,kafka2:9092
                ingest:
                  max-frame-bytes: 64MiB
                kafka:
                  live-map-interval: 500ms
                  retention: forever
                element: co
                """);
        XanestreamConfig c = resolve(f, Map.of());
        assertEquals("tcp://detector:6000", c.get(ZMQ_ENDPOINT));
        assertEquals("sub", c.get(ZMQ_MODE));
        assertEquals("kafka1:9092,kafka2:9092", c.get(KAFKA_BOOTSTRAP));
        assertEquals(64L << 20, c.get(MAX_FRAME_BYTES));
        assertEquals(Duration.ofMillis(500), c.get(KAFKA_LIVE_MAP_INTERVAL));
        assertEquals(-1, ModuleConfigs.kafka(c, "h:1").retentionMs());
        assertEquals("co", c.get(ELEMENT));
        assertEquals(f.toString(), c.origin(ZMQ_ENDPOINT));
    }

    @Test
    void commandLineOverridesTheFileWhichOverridesDefaults() throws Exception {
        Path f = yaml("http:\n  port: 9100\n  host: 0.0.0.0\nzmq.rcvhwm: 4\n");
        XanestreamConfig c = resolve(f, cli(HTTP_PORT, "9200"));
        assertEquals(9200, c.get(HTTP_PORT));
        assertEquals("--http.port", c.origin(HTTP_PORT));
        assertEquals("0.0.0.0", c.get(HTTP_HOST));
        assertEquals(f.toString(), c.origin(HTTP_HOST));
        assertEquals(4, c.get(ZMQ_RCVHWM));
        assertEquals("adzmq", c.get(PROTOCOL));
        assertEquals("default", c.origin(PROTOCOL));
    }

    @Test
    void badValueInFileNamesKeyFileAndReason() throws Exception {
        Path f = yaml("zmq:\n  rcvhwm: lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(f, Map.of()));
        assertEquals("zmq.rcvhwm", e.key());
        assertTrue(e.getMessage().contains("zmq.rcvhwm"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("'lots' is not an integer"), e.getMessage());
    }

    @Test
    void outOfRangeValueNamesTheRange() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(null, cli(HTTP_PORT, "70000")));
        assertEquals("http.port", e.key());
        assertTrue(e.getMessage().contains("'70000' must be between 0 and 65535"), e.getMessage());
        assertTrue(e.getMessage().contains("--http.port"), e.getMessage());
    }

    @Test
    void badChoiceListsTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(null, cli(PROTOCOL, "dectris2")));
        assertEquals("protocol", e.key());
        assertTrue(e.getMessage().contains("not one of adzmq, dectris1"), e.getMessage());
    }

    @Test
    void malformedEndpointAndBootstrapAreRejected() {
        ConfigException e1 = assertThrows(ConfigException.class, () -> resolve(null, cli(ZMQ_ENDPOINT, "detector:5555")));
        assertEquals("zmq.endpoint", e1.key());
        assertTrue(e1.getMessage().contains("tcp://HOST:PORT"), e1.getMessage());
        ConfigException e2 = assertThrows(ConfigException.class, () -> resolve(null, cli(KAFKA_BOOTSTRAP, "kafka1")));
        assertEquals("kafka.bootstrap", e2.key());
        assertTrue(e2.getMessage().contains("HOST:PORT"), e2.getMessage());
    }

    @Test
    void unknownElementListsTheKnownPresets() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(null, cli(ELEMENT, "Xx")));
        assertEquals("element", e.key());
        assertTrue(e.getMessage().contains("Ni") && e.getMessage().contains("Fe"), e.getMessage());
    }

    @Test
    void unknownYamlKeyIsAnErrorWithASuggestion() throws Exception {
        Path f = yaml("zmq:\n  endpiont: tcp://h:1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(f, Map.of()));
        assertEquals("zmq.endpiont", e.key());
        assertTrue(e.getMessage().contains("unknown configuration key 'zmq.endpiont'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'zmq.endpoint'"), e.getMessage());
        Path g = yaml("kafka:\n  topicprefix: x\n");
        ConfigException e2 = assertThrows(ConfigException.class, () -> resolve(g, Map.of()));
        assertTrue(e2.getMessage().contains("did you mean 'kafka.topic-prefix'"), e2.getMessage());
    }

    @Test
    void keysOfOtherCommandsAreAcceptedInTheFile() throws Exception {
        Path f = yaml("demo:\n  scans: 5\nhttp.port: 0\n");
        XanestreamConfig c = resolve(f, Map.of());
        assertEquals(0, c.get(HTTP_PORT));
        assertThrows(IllegalArgumentException.class, () -> c.get(DEMO_SCANS));
    }

    @Test
    void invalidYamlReportsTheLine() throws Exception {
        Path f = yaml("zmq:\n  endpoint: tcp://h:1\n mode: [bind\n");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(f, Map.of()));
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void missingFileIsAClearError() {
        Path f = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(f, Map.of()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void emptyValueInFileIsAnErrorNotASilentDefault() throws Exception {
        Path f = yaml("element:\n");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(f, Map.of()));
        assertEquals("element", e.key());
        assertTrue(e.getMessage().contains("has no value"), e.getMessage());
    }

    @Test
    void listForScalarKeyIsAnError() throws Exception {
        Path f = yaml("zmq.endpoint: [tcp://a:1, tcp://b:2]\n");
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(f, Map.of()));
        assertTrue(e.getMessage().contains("expects one value"), e.getMessage());
    }

    private static List<String> names(XanestreamConfig c) {
        return c.get(REFERENCE).stream().map(ValueType.Reference::name).toList();
    }

    @Test
    void referencesComeFromRepeatedOptionsOrAYamlListOrMapAndAreLoadedAtStartup() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "8.3 0\n8.4 1\n");
        Path b = Files.writeString(dir.resolve("b.txt"), "8300 0\n8400 1\n8500 1\n");
        XanestreamConfig viaCli = resolve(null, cli(REFERENCE, List.of("A=" + a, "LiNiO2=" + b, "builtin:NiO")));
        assertEquals(List.of("A", "LiNiO2", "NiO"), names(viaCli));
        assertEquals(8300.0, viaCli.get(REFERENCE).get(0).spectrum().energyEv()[0], "keV read as eV");
        assertEquals(3, viaCli.get(REFERENCE).get(1).spectrum().energyEv().length);
        XanestreamConfig viaList = resolve(yaml("reference:\n  - NiO=" + a + "\n  - LiNiO2=" + b + "\n"), Map.of());
        assertEquals(List.of("NiO", "LiNiO2"), names(viaList));
        XanestreamConfig viaMap = resolve(yaml("reference:\n  NiO: " + a + "\n  LiNiO2: " + b + "\n"), Map.of());
        assertEquals(List.of("NiO", "LiNiO2"), names(viaMap));
        // the command line replaces the file's list rather than appending to it
        XanestreamConfig both = resolve(yaml("reference:\n  NiO: " + a + "\n"), cli(REFERENCE, List.of("X=" + b)));
        assertEquals(List.of("X"), names(both));
        assertEquals(List.of("a"), names(resolve(null, cli(REFERENCE, List.of(a.toString())))), "named after the file");
    }

    @Test
    void referenceProblemsNameTheKeyAndTheFile() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "8.3 0\n8.4 1\n");
        ConfigException missing = assertThrows(ConfigException.class,
                () -> resolve(null, cli(REFERENCE, List.of("NiO=" + dir.resolve("missing.txt")))));
        assertEquals("reference", missing.key());
        assertTrue(missing.getMessage().contains("missing.txt") && missing.getMessage().contains("does not exist"),
                missing.getMessage());
        ConfigException twice = assertThrows(ConfigException.class,
                () -> resolve(null, cli(REFERENCE, List.of("NiO=" + a, "NiO=" + a))));
        assertTrue(twice.getMessage().contains("'NiO' twice"), twice.getMessage());
        Path bad = Files.writeString(dir.resolve("bad.txt"), "8.3 0\n8.2 1\n");
        ConfigException order = assertThrows(ConfigException.class, () -> resolve(null, cli(REFERENCE, List.of("X=" + bad))));
        assertEquals("reference", order.key());
        assertTrue(order.getMessage().contains("bad.txt"), order.getMessage());
        ConfigException builtin = assertThrows(ConfigException.class, () -> resolve(null, cli(REFERENCE, List.of("builtin:Xx"))));
        assertTrue(builtin.getMessage().contains("LiNiO2"), "lists the built-ins: " + builtin.getMessage());
    }

    @Test
    void framePoolMustHoldOneLargestFrame() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve(null, cli(FRAME_POOL_BYTES, "64MiB", MAX_FRAME_BYTES, "128MiB")));
        assertEquals("ingest.frame-pool-bytes", e.key());
        assertTrue(e.getMessage().contains("ingest.max-frame-bytes"), e.getMessage());
    }

    @Test
    void wildcardEndpointOnlyWithBind() throws ConfigException {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(null, cli(ZMQ_ENDPOINT, "tcp://*:5555")));
        assertEquals("zmq.endpoint", e.key());
        assertTrue(e.getMessage().contains("zmq.mode bind"), e.getMessage());
        assertEquals("bind", resolve(null, cli(ZMQ_ENDPOINT, "tcp://*:5555", ZMQ_MODE, "bind")).get(ZMQ_MODE));
    }

    @Test
    void presetOverridesApplyAndAreCheckedTogether() throws ConfigException {
        XanestreamConfig c = resolve(null, cli(FIT_WHITELINE_HI_EV, "8356"));
        assertEquals(8356.0, ModuleConfigs.preset(c).whitelineHiEv());
        assertEquals(8347.0, ModuleConfigs.preset(c).whitelineLoEv());
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(null, cli(FIT_WHITELINE_LO_EV, "8360")));
        assertTrue(e.getMessage().contains("fit.") && e.getMessage().contains("whiteline window"), e.getMessage());
    }

    @Test
    void sizesAndDurationsParseWithUnits() {
        assertEquals(900L << 10, ValueType.BYTES.parse("900KiB"));
        assertEquals(1L << 30, ValueType.BYTES.parse("1g"));
        assertEquals(1536L << 20, ValueType.BYTES.parse("1.5GiB"));
        assertEquals(12345L, ValueType.BYTES.parse("12345"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.BYTES.parse("12 parsecs"));
        assertEquals("256MiB", ValueType.BYTES.format(256L << 20));
        assertEquals(Duration.ofMillis(1500), ValueType.DURATION_TYPE.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), ValueType.DURATION_TYPE.parse("2m"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.DURATION_TYPE.parse("5"));
        assertEquals("500ms", ValueType.DURATION_TYPE.format(Duration.ofMillis(500)));
        assertEquals(Boolean.TRUE, ValueType.BOOLEAN.parse("yes"));
    }

    @Test
    void everyDefaultRoundTripsThroughItsOwnSyntax() throws ConfigException {
        for (ConfigKey<?> k : XanestreamConfig.keys()) {
            String text = k.defaultText();
            if (text.isEmpty() || k.repeatable()) {
                continue;
            }
            Object parsed = k.parse(List.of(text), "test");
            assertEquals(k.defaultValue(), parsed, k.name());
        }
    }

    @Test
    void describePrintsEveryKeyWithItsOrigin() throws ConfigException {
        XanestreamConfig c = resolve(null, cli(HTTP_PORT, "0"));
        String d = c.describe();
        for (ConfigKey<?> k : XanestreamConfig.keys(RUN_SECTIONS)) {
            assertTrue(d.contains(k.name() + ": "), k.name() + " in\n" + d);
        }
        assertTrue(d.contains("http.port: 0   # --http.port"), d);
    }
}
