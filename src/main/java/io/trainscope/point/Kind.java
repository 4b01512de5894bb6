package io.trainscope.point;

/** How many values a column holds in a point: one for the run, or one per layer. */
public enum Kind {
    /** One value: the cost, an accuracy, the learning rate. */
    RUN,
    /** One per weight layer W1…WL: the norms. */
    WEIGHT_LAYER,
    /** One per hidden (ReLU) layer, L - 1 of them. */
    HIDDEN_LAYER;

    /** The values of such a column in a point of a network of {@code depth} weight layers. */
    public int width(int depth) {
        return switch (this) {
            case RUN -> 1;
            case WEIGHT_LAYER -> depth;
            case HIDDEN_LAYER -> depth - 1;
        };
    }

    /** As written in a metrics file's header and the WebSocket's {@code hello}: {@code run}, {@code weightLayer}, … */
    public String wire() {
        return switch (this) {
            case RUN -> "run";
            case WEIGHT_LAYER -> "weightLayer";
            case HIDDEN_LAYER -> "hiddenLayer";
        };
    }
}
