package org.xanestream.deploy.hdf5;

import org.xanestream.deploy.Main;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code xanestream ARGS} in-process through {@link Main#execute}, capturing what it prints. */
record CliRun(int status, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(status, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "status " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}
