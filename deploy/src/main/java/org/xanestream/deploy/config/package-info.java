/**
 * The one declared home of xanestream's configuration. {@link org.xanestream.deploy.config.XanestreamConfig}
 * declares every key (type, default, description, validation); {@link org.xanestream.deploy.config.ConfigResolver}
 * merges defaults, a YAML file and command-line values and validates them at start-up;
 * {@link org.xanestream.deploy.config.ModuleConfigs} maps the result onto the config records of the
 * other modules; {@link org.xanestream.deploy.config.ConfigReference} renders {@code docs/configuration.md}.
 *
 * <p>In: raw text values (YAML file, command line). Out: a validated, immutable
 * {@link org.xanestream.deploy.config.XanestreamConfig}. Used on the main thread at start-up only.
 * No picocli here (the option binding lives in {@code org.xanestream.deploy}).
 */
package org.xanestream.deploy.config;
