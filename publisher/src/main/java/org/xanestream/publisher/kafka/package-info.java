/**
 * Kafka transport of the result stream: the only package of the publisher that touches kafka-clients.
 *
 * <p>Producer side:
 * <pre>
 * processor thread ──onScanStart/onEnergyPoint/onMaps/onScanEnd──┐
 * receive threads  ──onRejected─────────────────────────────────┤ offer (never waits; sheds by policy)
 *                                                                ▼
 *                                                   HandOffQueue (bounded: events, rejected, pixel bytes)
 *                                                                │
 *                      xanestream-kafka-publisher thread ◀───────┘
 *                      topics via Admin, JSON + row bands + binning, live rate limits, progress timer,
 *                      waits when maxInFlightBytes are unacknowledged
 *                                                                │ send
 *                                                                ▼
 *                      idempotent KafkaProducer (acks=all) ──▶ &lt;prefix&gt;.scans|points|images|maps|rejected
 *                      producer I/O thread: acknowledgement callbacks (counters, latency timer)
 * </pre>
 *
 * <p>{@link org.xanestream.publisher.kafka.KafkaResultPublisher} is the entry point, configured by
 * {@link org.xanestream.publisher.kafka.KafkaPublisherConfig}; {@link org.xanestream.publisher.kafka.KafkaTopics}
 * names the topics and headers. The record contract is docs/kafka-topics.md.
 *
 * <p>Consumer side: {@link org.xanestream.publisher.kafka.ResultTopicsConsumer} (configured by
 * {@link org.xanestream.publisher.kafka.ResultConsumerConfig}) reads the same topics on its own thread
 * ({@code xanes-result-consumer}) and delivers decoded events from {@code org.xanestream.publisher.results}
 * to a listener, so viewers such as the dashboard never see Kafka types.
 */
package org.xanestream.publisher.kafka;
