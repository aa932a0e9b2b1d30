/**
 * The sample phantom: seeded cathode secondary particles (ellipsoids, overlapping allowed) rasterized
 * into thickness maps, with an oxidized-Ni fraction that has core–shell gradients, nanodomains and
 * particle-to-particle variation, and that evolves non-uniformly while charging (operando series).
 *
 * <p>In: {@link org.xanestream.simulators.phantom.PhantomConfig}, image size, pixel size, seed. Out:
 * float maps read by the frame generator and the ground truth. Built once on the caller's thread;
 * immutable afterwards.
 */
package org.xanestream.simulators.phantom;
