/**
 * The result stream as plain Java events, independent of any transport.
 *
 * <p>In: the bytes of one result record (topic kind, header lookup, value) as published per DESIGN
 * §4.3 and docs/kafka-topics.md. {@link org.xanestream.publisher.results.ResultRecordDecoder} turns them
 * into {@link org.xanestream.publisher.results.ScanRecord}, {@link org.xanestream.publisher.results.PointRecord},
 * {@link org.xanestream.publisher.results.BandRecord} and {@link org.xanestream.publisher.results.RejectedRecord}.
 * Out: calls on a {@link org.xanestream.publisher.results.ResultListener}, on the thread of whoever reads
 * the transport (the Kafka consumer thread in {@code org.xanestream.publisher.kafka}).
 *
 * <p>Consumers (the dashboard) depend on this package only, so they never touch kafka-clients.
 */
package org.xanestream.publisher.results;
