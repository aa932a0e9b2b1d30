package org.xanestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.deploy.config.ConfigResolver;
import org.xanestream.deploy.config.ModuleConfigs;
import org.xanestream.deploy.config.XanestreamConfig;
import org.xanestream.deploy.pipeline.PipelineSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deployment files under deploy/ are consistent with the code: their configurations validate, ports agree. */
class DeploymentFilesTest {
    /** Surefire runs in the module directory, deploy/. */
    private static final Path DIR = Path.of(".");
    private static final YAMLMapper YAML = new YAMLMapper();

    private static XanestreamConfig resolve(Path file) throws Exception {
        XanestreamConfig c = ConfigResolver.resolve(XanestreamConfig.RUN_SECTIONS, file, Map.of(), Map.of());
        PipelineSettings.of(c);
        return c;
    }

    @Test
    void exampleBeamlineConfigurationIsValid() throws Exception {
        XanestreamConfig c = resolve(DIR.resolve("beamline.yaml"));
        assertEquals("tcp://txm-detector.beamline.local:5555", c.get(XanestreamConfig.ZMQ_ENDPOINT));
        assertEquals(2, c.get(XanestreamConfig.REFERENCE).size());
        assertEquals(3, ModuleConfigs.kafka(c, "h:1").replicationFactor());
    }

    @Test
    void composeStackIsConsistent() throws Exception {
        XanestreamConfig c = resolve(DIR.resolve("compose/beamline.yaml"));
        JsonNode compose = YAML.readTree(DIR.resolve("compose/compose.yaml").toFile());
        JsonNode services = compose.get("services");
        for (String s : new String[]{"kafka", "simulator", "processor", "dashboard", "prometheus"}) {
            assertNotNull(services.get(s), "service " + s);
        }
        assertEquals("kafka:9092", c.get(XanestreamConfig.KAFKA_BOOTSTRAP));
        assertTrue(c.get(XanestreamConfig.ZMQ_ENDPOINT).startsWith("tcp://simulator:"), "processor reads the simulator");
        String port = Integer.toString(c.get(XanestreamConfig.HTTP_PORT));
        assertEquals(port + ":" + port, services.get("processor").get("ports").get(0).asText());
        JsonNode prom = YAML.readTree(DIR.resolve("compose/prometheus.yml").toFile());
        assertEquals("processor:" + port, prom.at("/scrape_configs/0/static_configs/0/targets/0").asText());
        assertTrue(services.get("processor").get("command").toString().contains("/etc/xanestream/beamline.yaml"));
    }

    @Test
    void kubernetesManifestsCarryAValidConfigurationAndMatchingPorts(@TempDir Path tmp) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
                .readValues(DIR.resolve("kubernetes/xanestream.yaml").toFile())) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        JsonNode configMap = find(docs, "ConfigMap");
        JsonNode deployment = find(docs, "Deployment");
        JsonNode service = find(docs, "Service");
        Path file = Files.writeString(tmp.resolve("beamline.yaml"), configMap.at("/data/beamline.yaml").asText());
        XanestreamConfig c = resolve(file);
        int port = c.get(XanestreamConfig.HTTP_PORT);
        assertEquals("0.0.0.0", c.get(XanestreamConfig.HTTP_HOST), "reachable by probes and Prometheus");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertEquals(port, container.at("/ports/0/containerPort").asInt());
        assertEquals("/health", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals(1, deployment.at("/spec/replicas").asInt());
        assertEquals("Recreate", deployment.at("/spec/strategy/type").asText(), "never two receivers on one stream");
        assertEquals(Integer.toString(port), service.at("/metadata/annotations/prometheus.io~1port").asText());
    }

    private static JsonNode find(List<JsonNode> docs, String kind) {
        for (JsonNode d : docs) {
            if (kind.equals(d.path("kind").asText())) {
                return d;
            }
        }
        throw new AssertionError("no " + kind + " in the manifests");
    }

    @Test
    void prometheusConfigAndAlertsParseAndUseExposedMetricNames() throws Exception {
        JsonNode prom = YAML.readTree(DIR.resolve("prometheus/prometheus.yml").toFile());
        assertEquals("/metrics", prom.at("/scrape_configs/0/metrics_path").asText());
        String alerts = Files.readString(DIR.resolve("prometheus/alerts.yml"));
        YAML.readTree(alerts);
        for (String metric : new String[]{"xanestream_frames_dropped_total", "xanestream_frame_gaps_total",
                "xanestream_frames_rejected_total", "xanestream_kafka_reachable", "xanestream_energy_point_seconds"}) {
            assertTrue(alerts.contains(metric), metric);
        }
    }

    @Test
    void launchersAddTheVectorModuleAndStopCleanly() throws Exception {
        String unit = Files.readString(DIR.resolve("systemd/xanestream.service"));
        assertTrue(unit.contains("--add-modules jdk.incubator.vector"), unit);
        assertTrue(unit.contains("RestartPreventExitStatus=" + Main.EXIT_USAGE), "a bad configuration must not restart-loop");
        assertTrue(unit.contains("SuccessExitStatus=143"), "SIGTERM is a clean stop");
        String dockerfile = Files.readString(DIR.resolve("docker/Dockerfile"));
        assertTrue(dockerfile.contains("--add-modules jdk.incubator.vector"), dockerfile);
        assertTrue(dockerfile.contains("deploy/target/xanestream.jar"), dockerfile);
    }
}
