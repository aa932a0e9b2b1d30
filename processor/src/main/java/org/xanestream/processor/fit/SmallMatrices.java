package org.xanestream.processor.fit;

/**
 * Tiny dense symmetric matrices (row-major {@code double[n*n]}, n up to a dozen) for the shared Gram
 * matrices of the fits. Used once per model per snapshot, never per pixel.
 *
 * <p>Stateless and thread safe; methods allocate only small scratch arrays.
 */
final class SmallMatrices {
    /**
     * A Cholesky pivot smaller than this fraction of its diagonal entry means the basis is linearly
     * dependent on the energies seen so far (too few distinct energies, or a reference that is a
     * combination of the others there); the fit is then undefined rather than noise-amplifying.
     */
    static final double SINGULAR_PIVOT = 1e-10;

    private SmallMatrices() {
    }

    /**
     * Inverts a symmetric positive definite matrix by Cholesky decomposition.
     *
     * @param a   n×n row-major, only the lower triangle is read; not modified
     * @param n   order
     * @param out n×n row-major inverse (full, symmetric); modified; may not alias {@code a}
     * @return false (and {@code out} unspecified) if the matrix is singular or not positive definite
     */
    static boolean invertSpd(double[] a, int n, double[] out) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double ajj = a[j * n + j];
            double d = ajj;
            for (int k = 0; k < j; k++) {
                d -= l[j * n + k] * l[j * n + k];
            }
            if (!(ajj > 0) || !(d > SINGULAR_PIVOT * ajj)) {
                return false;
            }
            double ljj = Math.sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double v = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    v -= l[i * n + k] * l[j * n + k];
                }
                l[i * n + j] = v / ljj;
            }
        }
        // inv(L), lower triangular, in place of a scratch
        double[] li = new double[n * n];
        for (int j = 0; j < n; j++) {
            li[j * n + j] = 1.0 / l[j * n + j];
            for (int i = j + 1; i < n; i++) {
                double v = 0;
                for (int k = j; k < i; k++) {
                    v -= l[i * n + k] * li[k * n + j];
                }
                li[i * n + j] = v / l[i * n + i];
            }
        }
        // A^-1 = inv(L)^T inv(L)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = 0;
                for (int k = i; k < n; k++) {
                    v += li[k * n + i] * li[k * n + j];
                }
                out[i * n + j] = v;
                out[j * n + i] = v;
            }
        }
        return true;
    }

    /** {@code out = a·x} for n×n {@code a}; arrays not modified except {@code out}. */
    static void multiply(double[] a, int n, double[] x, double[] out) {
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (int k = 0; k < n; k++) {
                v += a[i * n + k] * x[k];
            }
            out[i] = v;
        }
    }

    /** {@code xᵀ·a·x} for n×n {@code a}. */
    static double quadraticForm(double[] a, int n, double[] x) {
        double v = 0;
        for (int i = 0; i < n; i++) {
            double r = 0;
            for (int k = 0; k < n; k++) {
                r += a[i * n + k] * x[k];
            }
            v += x[i] * r;
        }
        return v;
    }
}
