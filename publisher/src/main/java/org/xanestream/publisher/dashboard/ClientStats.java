package org.xanestream.publisher.dashboard;

/**
 * Counters of one connected browser, as seen by the server.
 *
 * @param id               connection number
 * @param bytesWritten     bytes handed to the WebSocket so far
 * @param messagesWritten  messages handed to the WebSocket so far
 * @param deferredFull     pushes postponed because the client's write queue was full (latest-wins:
 *                         whatever is newest when it drains is sent, intermediate versions are skipped)
 * @param mapsWritten      map messages written
 * @param lastMapVersion   version of the last map message written, -1 if none
 * @param lastMapFinal     whether that map was the final one
 * @param largestMessage   largest single message written, bytes
 */
public record ClientStats(long id, long bytesWritten, long messagesWritten, long deferredFull, long mapsWritten,
                          int lastMapVersion, boolean lastMapFinal, long largestMessage) {
}
