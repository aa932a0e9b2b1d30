/**
 * Kafka transport of the result stream: the only package that touches kafka-clients.
 *
 * <p>Consumer side: {@link org.xanestream.publisher.kafka.ResultTopicsConsumer} reads the topics of
 * DESIGN §4.3 on its own thread and delivers decoded events from
 * {@code org.xanestream.publisher.results} to a listener, so viewers such as the dashboard never see
 * Kafka types.
 */
package org.xanestream.publisher.kafka;
