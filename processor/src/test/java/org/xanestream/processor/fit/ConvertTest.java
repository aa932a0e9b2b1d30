package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ConvertTest {
    @Test
    void fusedMultiplyAddFollowsTheJvmUnlessForced() {
        String forced = System.getProperty("xanestream.fit.fma");
        boolean expected = forced != null ? Boolean.parseBoolean(forced)
                : Boolean.parseBoolean(java.lang.management.ManagementFactory
                        .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                        .getVMOption("UseFMA").getValue());
        assertEquals(expected, Convert.FUSED);
        double x = 1 + Math.ulp(1.0);
        // x·x = 1 + 2ulp + ulp²: the fused result keeps the ulp² term against −(1 + 2ulp)
        double r = Convert.madd(x, x, -(1 + 2 * Math.ulp(1.0)));
        assertEquals(expected ? Math.ulp(1.0) * Math.ulp(1.0) : 0.0, r);
    }

    @Test
    void fusedSubsetStepEqualsTheColumnAtATimeSearchBitForBit() {
        Random rnd = new Random(23);
        int n = 70;
        for (int ps = 2; ps <= 4; ps++) {
            double[][] b = new double[ps][n];
            for (double[] col : b) {
                for (int t = 0; t < n; t++) {
                    col[t] = rnd.nextGaussian() * 10;
                }
            }
            b[0][3] = Double.NaN;
            double[] gi = new double[ps * ps];
            for (int i = 0; i < gi.length; i++) {
                gi[i] = rnd.nextGaussian();
            }
            double[] s = new double[n];
            for (int t = 0; t < n; t++) {
                s[t] = Math.abs(rnd.nextGaussian()) * 100;
            }
            for (int len = 0; len <= n; len += 7) {
                double[] bestProj = new double[n];
                double[] bestSub = new double[n];
                for (int t = 0; t < n; t++) {
                    // some pixels without a subset yet, some with a good one already
                    bestSub[t] = t % 3 == 0 ? -1 : 2;
                    bestProj[t] = t % 3 == 0 ? Double.NEGATIVE_INFINITY : rnd.nextGaussian() * 50;
                }
                double[] wantProj = bestProj.clone();
                double[] wantSub = bestSub.clone();
                // the search's loops: weights column at a time, smallest reference weight, projection, choice
                double[][] cs = new double[ps][len];
                for (int r = 0; r < ps; r++) {
                    for (int u = 0; u < ps; u++) {
                        for (int t = 0; t < len; t++) {
                            cs[r][t] += gi[r * ps + u] * b[u][t];
                        }
                    }
                }
                double[] minC = new double[len];
                double[] proj = new double[len];
                for (int t = 0; t < len; t++) {
                    minC[t] = ps == 2 ? 0 : cs[0][t];
                    for (int r = 1; r < ps - 2; r++) {
                        minC[t] = Math.min(minC[t], cs[r][t]);
                    }
                    for (int r = 0; r < ps; r++) {
                        proj[t] += cs[r][t] * b[r][t];
                    }
                }
                Convert.keepBestPlain(minC, proj, s, 1e-12, 5, wantProj, wantSub, 0, len);
                Convert.subsetStep(b, gi, ps, s, 1e-12, 5, bestProj, bestSub, len);
                for (int t = 0; t < n; t++) {
                    assertEquals(Double.doubleToRawLongBits(wantProj[t]), Double.doubleToRawLongBits(bestProj[t]),
                            "ps " + ps + " len " + len + " proj at " + t);
                    assertEquals(wantSub[t], bestSub[t], "ps " + ps + " len " + len + " subset at " + t);
                }
            }
        }
    }

    @Test
    void edgeLinesEqualTheLineFormulasBitForBitWithSpecialValues() {
        Random rnd = new Random(19);
        int n = 90;
        double[][] planes = new double[5][n];
        for (double[] plane : planes) {
            for (int i = 0; i < n; i++) {
                plane[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(5));
            }
        }
        planes[0][10] = Double.NaN;
        planes[3][11] = Double.POSITIVE_INFINITY;
        planes[2][12] = -0.0;
        planes[4][13] = Double.NaN;
        // equal lines: a jump within rounding of the values is 0
        planes[3][14] = 0;
        planes[4][14] = 0;
        planes[0][14] = 0;
        planes[1][14] = 0;
        double[] q = {0.7, -0.2, 0.4, 1.0 / 7, 0.9, -0.3};
        for (int from = 0; from < 5; from++) {
            for (int len = 0; len <= 45; len++) {
                double[][] got = new double[4][len];
                Convert.edgeLines(planes[0], planes[1], planes[2], planes[3], planes[4], from, q, got[0], got[1],
                        got[2], got[3], len);
                for (int c = 0; c < len; c++) {
                    int i = from + c;
                    double b0 = planes[0][i];
                    double b1 = planes[1][i];
                    double c0 = q[0] * b0 + q[1] * b1;
                    double c1 = q[1] * b0 + q[2] * b1;
                    double rss = planes[2][i] - (c0 * b0 + c1 * b1);
                    double[] want = {c0, c1, Math.sqrt(Math.max(rss, 0.0) * q[3]),
                            SpectrumEstimators.edgeJump(q[4] * planes[3][i] + q[5] * planes[4][i], c0)};
                    for (int m = 0; m < 4; m++) {
                        assertEquals(Double.doubleToRawLongBits(want[m]), Double.doubleToRawLongBits(got[m][c]),
                                "output " + m + " from " + from + " len " + len + " at " + c);
                    }
                }
            }
        }
    }

    @Test
    void polynomialProductsInPlaceEqualThePlaneAtATimeSumsBitForBit() {
        Random rnd = new Random(17);
        for (int p = 2; p <= 5; p++) {
            double[][] b = new double[p][80];
            for (double[] plane : b) {
                for (int i = 0; i < plane.length; i++) {
                    plane[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(6));
                }
            }
            b[0][11] = Double.NaN;
            b[p - 1][12] = -0.0;
            double[] gi = new double[p * p];
            for (int i = 0; i < gi.length; i++) {
                gi[i] = rnd.nextGaussian();
            }
            gi[0] = -0.0;
            for (int from = 0; from < 6; from++) {
                for (int len = 0; len <= 37; len++) {
                    double[][] coef = new double[p][len];
                    double[] proj = new double[len];
                    Convert.polynomial(b, from, gi, p, coef, proj, len);
                    // the snapshot's plane-at-a-time loops: each sum from 0 in index order
                    for (int c = 0; c < len; c++) {
                        double pr = 0;
                        for (int j = 0; j < p; j++) {
                            double cj = 0;
                            for (int t = 0; t < p; t++) {
                                cj += gi[j * p + t] * b[t][from + c];
                            }
                            assertEquals(Double.doubleToRawLongBits(cj), Double.doubleToRawLongBits(coef[j][c]),
                                    "p " + p + " from " + from + " len " + len + " coef " + j + " at " + c);
                            pr += cj * b[j][from + c];
                        }
                        assertEquals(Double.doubleToRawLongBits(pr), Double.doubleToRawLongBits(proj[c]),
                                "p " + p + " from " + from + " len " + len + " proj at " + c);
                    }
                }
            }
        }
    }

    @Test
    void vectorKernelsEqualPlainLoopsBitForBitForEveryLengthAndOffset() {
        assertTrue(Convert.VECTOR, "tests run with --add-modules jdk.incubator.vector");
        Random rnd = new Random(13);
        float[] f = new float[300];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (rnd.nextGaussian() * 1e3);
        }
        f[7] = Float.NaN;
        f[8] = Float.NEGATIVE_INFINITY;
        f[9] = -0.0f;
        for (int from = 0; from < 9; from++) {
            for (int len = 0; len <= 40; len++) {
                double[] got = new double[len];
                VectorConvert.toDouble(f, from, got, len);
                double[] want = new double[len];
                for (int c = 0; c < len; c++) {
                    want[c] = f[from + c];
                }
                assertArrayEquals(want, got);
                float[] back = new float[len + 20];
                float[] backWant = new float[len + 20];
                VectorConvert.toFloat(got, back, from, len);
                for (int c = 0; c < len; c++) {
                    backWant[from + c] = (float) want[c];
                }
                assertArrayEquals(backWant, back);
            }
        }
        double[] x = new double[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        for (int len = 0; len <= 37; len++) {
            double[] a = new double[50];
            double[] plain = new double[50];
            for (int i = 0; i < a.length; i++) {
                a[i] = plain[i] = rnd.nextGaussian();
            }
            VectorConvert.axpy(a, 5, 0.37, x, 3, len);
            VectorConvert.add(a, 5, x, 11, len);
            VectorConvert.addSquares(a, 5, x, 7, len);
            for (int c = 0; c < len; c++) {
                plain[5 + c] = Convert.FUSED ? Math.fma(x[3 + c], 0.37, plain[5 + c]) : plain[5 + c] + x[3 + c] * 0.37;
            }
            for (int c = 0; c < len; c++) {
                plain[5 + c] += x[11 + c];
            }
            for (int c = 0; c < len; c++) {
                plain[5 + c] = Convert.FUSED ? Math.fma(x[7 + c], x[7 + c], plain[5 + c]) : plain[5 + c] + x[7 + c] * x[7 + c];
            }
            assertArrayEquals(plain, a, "length " + len);
        }
        double[] d = {1e300, -1e300, 1.0000000001, Double.NaN, 3.4028235e38, 1e-50, -7.5, 0.1};
        float[] out = new float[d.length];
        VectorConvert.toFloat(d, out, 0, d.length);
        for (int c = 0; c < d.length; c++) {
            assertTrue(Float.compare((float) d[c], out[c]) == 0, "element " + c);
        }
    }

    @Test
    void vectorCrossingScanEqualsThePlainScanAndThePerPixelFirstCrossingInsideTheWindow() {
        Random rnd = new Random(29);
        int len = 45;
        int from = 3;
        double[] jump = new double[len];
        double[] c0 = new double[len];
        double[] c1 = new double[len];
        for (int c = 0; c < len; c++) {
            jump[c] = c % 9 == 0 ? -0.5 : 0.2 + rnd.nextDouble();
            c0[c] = 0.1 * rnd.nextGaussian();
            c1[c] = 0.1 * rnd.nextGaussian();
        }
        jump[11] = Double.NaN;
        int nd = 12;
        double[] ev = new double[nd];
        double[] x = new double[nd];
        float[][][] images = new float[nd][][];
        for (int d = 0; d < nd; d++) {
            ev[d] = 8335 + 1.3 * d;
            x[d] = (ev[d] - 8340) / 100;
            // a repeated measurement at two of the energies
            images[d] = new float[d % 5 == 2 ? 2 : 1][from + len + 4];
            for (float[] img : images[d]) {
                for (int i = 0; i < img.length; i++) {
                    img[i] = (float) (rnd.nextDouble() * 1.2 - 0.1);
                }
            }
        }
        images[3][0][from + 5] = Float.NaN;
        images[4][0][from + 6] = Float.POSITIVE_INFINITY;
        double lo = 8338;
        double hi = 8347;
        double[] got = new double[len];
        double[] want = new double[len];
        for (int n = 0; n <= len; n++) {
            java.util.Arrays.fill(got, -1);
            java.util.Arrays.fill(want, -1);
            VectorConvert.crossingScan(images, x, ev, lo, hi, from, c0, c1, jump, got, n);
            Convert.crossingScanPlain(images, x, ev, lo, hi, from, c0, c1, jump, want, 0, n);
            assertArrayEquals(want, got, "length " + n);
        }
        // the scan is the batch rule on the normalized mu; no edge without a positive jump
        int found = 0;
        for (int c = 0; c < len; c++) {
            if (!(jump[c] > 0)) {
                assertTrue(Double.isNaN(got[c]), "pixel " + c);
                continue;
            }
            double first = Double.NaN;
            double prev = Double.NaN;
            for (int d = 0; d < nd && Double.isNaN(first); d++) {
                double mu = 0;
                for (float[] img : images[d]) {
                    mu += img[from + c];
                }
                double v = (mu / images[d].length - (c0[c] + c1[c] * x[d])) / jump[c];
                if (d > 0 && prev < 0.5 && v >= 0.5) {
                    double e = ev[d - 1] + (0.5 - prev) / (v - prev) * (ev[d] - ev[d - 1]);
                    first = e >= lo && e <= hi ? e : Double.NaN;
                }
                prev = v;
            }
            assertEquals(first, got[c], 1e-9, "pixel " + c);
            found += Double.isNaN(got[c]) ? 0 : 1;
        }
        assertTrue(found > 10, found + " crossings");
    }

    /**
     * The window cases of the crossing scan on spectra with known crossings (pre-edge line 0, jump 1: the
     * crossing is where mu passes 0.5), vector and plain alike; window [8338, 8347].
     */
    @Test
    void crossingScanWindowCasesOnKnownSpectra() {
        double nan = Double.NaN;
        // one pair reaching below and above the window: inside, below lo, above hi, none
        assertCrossings(new double[] {8330, 8350}, new double[][] {{0, 1}, {0.4, 1.4}, {0, 0.52}, {0, 0.1}},
                new double[] {8340, nan, nan, nan});
        double[] ev = {8330, 8339, 8341, 8343, 8349};
        assertCrossings(ev, new double[][] {
            {0.4, 0.9, 0.3, 0.8, 1.0},   // the first pair's crossing lies below lo: the next one counts
            {0, 0.1, 0.2, 0.3, 0.55},    // the last pair's crossing lies above hi: none
            {0, 0.1, 0.2, 0.3, 1.0},     // the last pair's crossing inside
            {0, 0.6, 0.2, 0.7, 0.9},     // below lo again (8337.5), then down and up inside
            {0, 0.52, 0.8, 0.9, 1.0},    // the first pair's crossing inside the window (8338.65)
        }, new double[] {8341.8, nan, 8343 + 6 * 0.2 / 0.7, 8341 + 2 * 0.3 / 0.5, 8330 + 9 * 0.5 / 0.52});
        // energies wholly below or above the window, a single energy, none
        double[][] flat = {{0, 1, 2}, {1, 0, 1}};
        assertCrossings(new double[] {8300, 8310, 8320}, flat, new double[] {nan, nan});
        assertCrossings(new double[] {8360, 8370, 8380}, flat, new double[] {nan, nan});
        assertCrossings(new double[] {8340}, new double[][] {{1}}, new double[] {nan});
        assertCrossings(new double[0], new double[][] {{}}, new double[] {nan});
    }

    /** Scans pixels (each repeated over a few vectors of lanes) whose mu at energy d is mu[pixel][d]. */
    private static void assertCrossings(double[] ev, double[][] mu, double[] want) {
        int reps = 9;
        int len = mu.length * reps;
        float[][][] images = new float[ev.length][1][len];
        double[] x = new double[ev.length];
        for (int d = 0; d < ev.length; d++) {
            x[d] = (ev[d] - 8340) / 100;
            for (int c = 0; c < len; c++) {
                images[d][0][c] = (float) mu[c % mu.length][d];
            }
        }
        double[] zero = new double[len];
        double[] jump = new double[len];
        java.util.Arrays.fill(jump, 1.0);
        double[] got = new double[len];
        double[] plain = new double[len];
        VectorConvert.crossingScan(images, x, ev, 8338, 8347, 0, zero, zero, jump, got, len);
        Convert.crossingScanPlain(images, x, ev, 8338, 8347, 0, zero, zero, jump, plain, 0, len);
        assertArrayEquals(plain, got, "vector vs plain, energies " + java.util.Arrays.toString(ev));
        for (int c = 0; c < len; c++) {
            double w = want[c % mu.length];
            if (Double.isNaN(w)) {
                assertTrue(Double.isNaN(got[c]), "pixel " + c + ": " + got[c]);
            } else {
                assertEquals(w, got[c], 1e-5, "pixel " + c); // mu in float
            }
        }
    }

    @Test
    void vectorQuadraticVertexEqualsThePlainLoopBitForBitIncludingInvalidLanesAndTheirNanError() {
        Random rnd = new Random(43);
        int n = 41;
        double[][] coef = new double[3][n];
        double[] sq = new double[n];
        double[] proj = new double[n];
        for (int c = 0; c < n; c++) {
            coef[0][c] = 1 + rnd.nextGaussian();
            coef[1][c] = 0.3 * rnd.nextGaussian();
            coef[2][c] = c % 5 == 0 ? 0.2 : -0.5 + 0.1 * rnd.nextGaussian();
            proj[c] = 10 * rnd.nextDouble();
            sq[c] = proj[c] + (c % 7 == 0 ? -1e-9 : rnd.nextDouble());
        }
        coef[1][3] = Double.NaN;
        coef[2][4] = 0;
        coef[2][6] = -0.0;
        coef[1][8] = 0.5; // vertex exactly at the upper window end: x = 0.5 with c2 = -0.5
        coef[2][8] = -0.5;
        int valid = 0;
        for (double invDof : new double[] {1.0 / 17, Double.NaN}) {
            // middle 8350, half width 4: window [8348, 8352]
            double[] q = {8350, 4, 8348, 8352, 0.7, -0.2, 0.4, invDof};
            for (int len = 0; len <= n; len++) {
                double[][] got = new double[3][n];
                double[][] want = new double[3][n];
                double[] xGot = new double[n];
                double[] xWant = new double[n];
                VectorConvert.quadraticVertex(coef, q, got, xGot, len);
                VectorConvert.quadraticError(coef[2], sq, proj, q, got, xGot, len);
                Convert.quadraticVertexPlain(coef, q, want, xWant, 0, len);
                Convert.quadraticErrorPlain(coef[2], sq, proj, q, want, xWant, 0, len);
                assertArrayEquals(xWant, xGot, "length " + len);
                for (int r = 0; r < 3; r++) {
                    assertArrayEquals(want[r], got[r], "row " + r + ", length " + len);
                }
                if (len == n) {
                    for (double e : got[0]) {
                        valid += Double.isNaN(e) ? 0 : 1;
                    }
                    assertTrue(Double.isNaN(got[0][0]) && Double.isNaN(got[0][3]) && Double.isNaN(got[0][4])
                            && Double.isNaN(got[1][0]) && Double.isNaN(got[2][0]), "invalid vertices are NaN");
                    assertTrue(got[0][8] == 8352.0, "vertex on the window end is valid: " + got[0][8]);
                }
            }
        }
        assertTrue(valid > n, valid + " valid vertices");
    }

    @Test
    void vectorKeepBestEqualsThePlainLoopOverSeveralSubsets() {
        Random rnd = new Random(47);
        int n = 39;
        double[] sq = new double[n];
        for (int c = 0; c < n; c++) {
            sq[c] = 1 + rnd.nextDouble();
        }
        double[] gotProj = new double[n];
        double[] wantProj = new double[n];
        double[] gotSub = new double[n];
        double[] wantSub = new double[n];
        java.util.Arrays.fill(gotProj, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(wantProj, Double.NEGATIVE_INFINITY);
        java.util.Arrays.fill(gotSub, -1);
        java.util.Arrays.fill(wantSub, -1);
        for (int sub = 2; sub >= 0; sub--) {
            double[] minC = new double[n];
            double[] proj = new double[n];
            for (int c = 0; c < n; c++) {
                minC[c] = c % 6 == 0 ? Double.NaN : rnd.nextGaussian();
                // ties within the resolution keep the earlier subset
                proj[c] = c % 5 == 0 ? 0.5 : rnd.nextDouble();
            }
            minC[7] = -0.0;
            VectorConvert.keepBest(minC, proj, sq, 1e-12, sub, gotProj, gotSub, n);
            Convert.keepBestPlain(minC, proj, sq, 1e-12, sub, wantProj, wantSub, 0, n);
            assertArrayEquals(wantProj, gotProj, "subset " + sub);
            assertArrayEquals(wantSub, gotSub, "subset " + sub);
        }
        int none = 0;
        int changed = 0;
        for (int c = 0; c < n; c++) {
            none += gotSub[c] < 0 ? 1 : 0;
            changed += gotSub[c] < 2 && gotSub[c] >= 0 ? 1 : 0;
        }
        assertTrue(none > 0 && changed > 0 && none < n, none + " without a subset, " + changed + " later ones");
    }
}
