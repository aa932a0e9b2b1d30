/**
 * The {@code xanestream} command line (picocli is used only in this package): {@link org.xanestream.deploy.Main}
 * and one command class per subcommand ({@code run}, {@code demo}, {@code simulate}, {@code replay},
 * {@code dashboard}, {@code config}, and the hidden {@code bench}). Commands that take the declared
 * configuration implement {@code Main.Configured}; {@link org.xanestream.deploy.ConfigOptions} turns
 * the keys of {@link org.xanestream.deploy.config.XanestreamConfig} into their options.
 *
 * <p>In: command-line arguments. Out: a started pipeline (see {@link org.xanestream.deploy.pipeline}),
 * the exit status (0 ok, 1 failure, 2 usage or configuration error). Runs on the main thread; long-running
 * commands stop from a JVM shutdown hook.
 */
package org.xanestream.deploy;
