package io.trainscope.nn;

/**
 * One dense layer, {@code Z = W·A_prev + b}, with its parameters and their gradients. Hidden layers apply
 * ReLU; the output layer's sigmoid is folded into the loss (see {@link Network}), so its forward stops at Z.
 * Matrices are row-major with one column per example, as in the seed: W is {@code out × in}, b is {@code out}.
 */
public final class Layer {

    final int in;
    final int out;
    final boolean relu;
    final double[] w;
    final double[] b;
    final double[] dw;
    final double[] db;

    Layer(int in, int out, boolean relu) {
        this.in = in;
        this.out = out;
        this.relu = relu;
        this.w = new double[out * in];
        this.b = new double[out];
        this.dw = new double[out * in];
        this.db = new double[out];
    }

    /** {@code a[out×m] = act(W·aPrev + b)}; for the output layer {@code a} receives Z itself. */
    void forward(double[] aPrev, double[] a, int m) {
        Kernels.mul(1.0, w, aPrev, a, out, in, m);
        for (int i = 0; i < out; i++) {
            double bi = b[i];
            int row = i * m;
            if (relu) {
                // Math.max is branch-free (an intrinsic); `z > 0 ? z : 0` mispredicts on half the units of a
                // fresh network and cost more than the product itself on the medium speed network.
                for (int j = row; j < row + m; j++) {
                    a[j] = Math.max(a[j] + bi, 0.0);
                }
            } else {
                for (int j = row; j < row + m; j++) {
                    a[j] += bi;
                }
            }
        }
    }

    /**
     * Given {@code dz = ∂cost/∂Z · m} for this layer, sets {@code dW = dz·aPrevᵀ / m}, {@code db = Σ dz / m}
     * and, when {@code dzPrev} is not null, {@code dzPrev = (Wᵀ·dz) ⊙ relu'(aPrev)}: the previous layer's dZ.
     * ReLU's derivative is read from its output ({@code a > 0} exactly when {@code z > 0}), so hidden Z need
     * not be kept.
     */
    void backward(double[] dz, double[] aPrev, double[] dzPrev, int m) {
        double invM = 1.0 / m;
        Kernels.mulTransB(invM, dz, aPrev, dw, out, m, in);
        for (int i = 0; i < out; i++) {
            double sum = 0.0;
            for (int j = i * m, end = j + m; j < end; j++) {
                sum += dz[j];
            }
            db[i] = sum * invM;
        }
        if (dzPrev != null) {
            Kernels.mulTransA(1.0, w, dz, dzPrev, in, out, m);
            for (int j = 0, end = in * m; j < end; j++) {
                dzPrev[j] = Double.longBitsToDouble(Double.doubleToRawLongBits(dzPrev[j]) & reluMask(aPrev[j]));
            }
        }
    }

    /**
     * All ones when {@code a > 0}, else zero, without a branch: ReLU outputs are +0.0 or positive, and a
     * positive double's bits are a positive long, so {@code bits | -bits} has its sign bit set exactly when
     * {@code bits != 0}. As with {@code relu}, a branch here mispredicts on half the units.
     */
    private static long reluMask(double a) {
        long bits = Double.doubleToRawLongBits(a);
        return (bits | -bits) >> 63;
    }

    /** Plain gradient descent, as in the seed: {@code W -= lr·dW}, {@code b -= lr·db}. */
    void step(double learningRate) {
        for (int i = 0; i < w.length; i++) {
            w[i] -= learningRate * dw[i];
        }
        for (int i = 0; i < b.length; i++) {
            b[i] -= learningRate * db[i];
        }
    }

    public int inputs() {
        return in;
    }

    public int outputs() {
        return out;
    }

    /** The weights, {@code out × in} row-major; live, not a copy. */
    public double[] weights() {
        return w;
    }

    /** The biases, one per output; live, not a copy. */
    public double[] biases() {
        return b;
    }

    double weightNorm() {
        return frobenius(w);
    }

    double gradientNorm() {
        return frobenius(dw);
    }

    static double frobenius(double[] v) {
        double sum = 0.0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
