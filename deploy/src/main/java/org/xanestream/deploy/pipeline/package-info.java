/**
 * The running processor service: {@link org.xanestream.deploy.pipeline.Pipeline} wires the stages of the
 * other modules and owns their life cycle; {@link org.xanestream.deploy.pipeline.PipelineSettings} holds
 * their config records (mapped from the configuration by {@code ModuleConfigs}).
 *
 * <pre>
 * zmq-rx thread ──▶ BoundedEventQueue ──▶ xanes-processor thread (+ row workers) ──▶ Kafka publisher thread ──▶ Kafka
 *       └─ rejections ─────────────────────────────────────────────────────────────┘        └─▶ HDF5 writer thread
 * vert.x event loop: /health, /metrics (read-only views of the stages' counters)
 * </pre>
 *
 * <p>In: settings. Out: a started pipeline with accessors for tests, the demo and the harness. Start and
 * close are called from the main thread or a shutdown hook; {@code health()} from the HTTP event loop.
 */
package org.xanestream.deploy.pipeline;
