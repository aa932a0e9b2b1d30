/**
 * Scan sessions and the processor thread.
 *
 * <pre>
 *  ingest queue ──IngestEvent──▶ XanesProcessor (one thread, "xanes-processor")
 *                                  │ per source: the open ScanSession
 *                                  │   per frame: accumulate dark / flat / sample, release the frame
 *                                  │   per energy point: normalize → drift → stack → fitter.addEnergy
 *                                  │     → onEnergyPoint, live maps → fitter.catchUp (deferred fit work)
 *                                  ▼
 *                               ProcessorListener: onScanStart, onEnergyPoint / onMaps, onMaps(final), onScanEnd
 * </pre>
 *
 * <p>In: {@link org.xanestream.ingest.IngestEvent}s from a bounded queue ({@link
 * org.xanestream.processor.session.IngestEventSource}). Out: listener calls on the processor thread, in
 * order per scan. Per-pixel work runs on the shared {@link org.xanestream.processor.RowParallel} pool.
 * Counters are in {@link org.xanestream.processor.session.ProcessorStats}, readable from any thread.
 */
package org.xanestream.processor.session;
