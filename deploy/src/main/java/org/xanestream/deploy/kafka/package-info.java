/**
 * The embedded single-node Apache Kafka broker (KRaft, broker and controller in one JVM) used by
 * {@code xanestream demo} and the integration tests; the only deploy package that touches the Kafka server
 * jars. Nothing flows through this package at run time: it starts, stops and restarts a broker on 127.0.0.1
 * on the caller's thread ({@link org.xanestream.deploy.kafka.EmbeddedKafkaBroker}, configured by
 * {@link org.xanestream.deploy.kafka.EmbeddedBrokerConfig}); the broker runs on its own threads.
 */
package org.xanestream.deploy.kafka;
