package io.trainscope.nn;

import java.util.random.RandomGenerator;

/** How the weights start; biases always start at zero, as in the seed. */
public enum Init {
    /** He et al. 2015: N(0, 2 / fanIn), suited to ReLU layers. The default. */
    HE,
    /** Glorot and Bengio 2010, normal form: N(0, 2 / (fanIn + fanOut)). */
    XAVIER,
    /** The seed's {@code np.random.randn(n_l, n_(l-1)) * 0.01}: small enough that deep nets barely learn. */
    SEED;

    /** Fills a {@code fanOut × fanIn} weight matrix. */
    void fill(double[] w, int fanOut, int fanIn, RandomGenerator random) {
        double scale = switch (this) {
            case HE -> Math.sqrt(2.0 / fanIn);
            case XAVIER -> Math.sqrt(2.0 / (fanIn + fanOut));
            case SEED -> 0.01;
        };
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian() * scale;
        }
    }
}
