package org.xanestream.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Debian Python (python3-h5py, python3-numpy are installed by .ci/run) as an independent
 * reader/writer. Fails loudly when Python or a module is missing: a skipped check is no check.
 */
public final class DebianPython {
    private DebianPython() {
    }

    public static String interpreter() {
        // Debian's packages live under /usr/bin/python3; a pyenv python3 earlier on PATH would not see them.
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    public static String run(String script, String... args) throws IOException, InterruptedException {
        Path tmp = Files.createTempFile("xanes-", ".py");
        try (var in = DebianPython.class.getResourceAsStream("/python/" + script)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource python/" + script);
            }
            Files.write(tmp, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(interpreter(), tmp.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "); needs Debian python3-h5py"
                        + " and python3-numpy (.ci/run installs them):\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
