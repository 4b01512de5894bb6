package io.trainscope.server.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an immutable record between verticles of one process by reference: no copy, no encoding, which is
 * what lets a metrics batch reach the HTTP verticle without a cost per point. A clustered event bus would need
 * real wire encodings; these records never leave the process.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

    private static final java.util.Map<Vertx, Boolean> REGISTERED = new java.util.WeakHashMap<>();

    private final Class<T> type;

    private LocalCodec(Class<T> type) {
        this.type = type;
    }

    /** Registers the codecs once per Vert.x instance; a second server on the same instance reuses them. */
    public static synchronized void registerAll(Vertx vertx) {
        if (REGISTERED.put(vertx, Boolean.TRUE) != null) {
            return;
        }
        for (Class<?> type : new Class<?>[] {RunCommand.class, CommandReply.class, RunSnapshot.class,
                MetricsUpdate.class, ViewDemand.class, HistogramsSnapshot.class, BoundarySnapshot.class,
                NetworkSnapshot.class}) {
            register(vertx, type);
        }
    }

    private static <T> void register(Vertx vertx, Class<T> type) {
        vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
        throw new UnsupportedOperationException(type.getSimpleName() + " is only sent within one process");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(type.getSimpleName() + " is only sent within one process");
    }

    @Override
    public T transform(T t) {
        return t;
    }

    @Override
    public String name() {
        return "local-" + type.getName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
