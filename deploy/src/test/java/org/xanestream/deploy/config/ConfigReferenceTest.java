package org.xanestream.deploy.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigReferenceTest {
    /** Surefire runs in the module directory; the docs live at the repository root. */
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void docsConfigurationMdIsGeneratedFromTheDeclaration() throws Exception {
        assertTrue(Files.exists(DOC), DOC.toAbsolutePath() + " is missing; generate it with "
                + "`java -jar deploy/target/xanestream.jar config --markdown > docs/configuration.md`");
        assertEquals(ConfigReference.markdown(), Files.readString(DOC),
                "docs/configuration.md is out of date; regenerate it with "
                        + "`java -jar deploy/target/xanestream.jar config --markdown > docs/configuration.md`");
    }

    @Test
    void referenceDocumentsEveryKey() {
        String md = ConfigReference.markdown();
        for (ConfigKey<?> k : XanestreamConfig.keys()) {
            assertTrue(md.contains("| `" + k.name() + "` |"), k.name());
        }
    }
}
