/**
 * Kafka transport of the result stream: the only package of the publisher that touches kafka-clients.
 *
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
 */
package org.xanestream.publisher.kafka;
