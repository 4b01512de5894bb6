package io.trainscope.server.access;

import io.trainscope.server.ServerConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies that never finish arriving (issue 8, item 6): 25 bodies of 15 MB, each one byte short, once filled a
 * 512 MB heap. Now all bodies being received at once share a byte budget (past it, 503 before a byte is read)
 * and a body must arrive within a time limit (408, connection closed).
 */
@ExtendWith(VertxExtension.class)
class HeldBodiesTest {

    static final int BODY = 1 << 20;

    @TempDir
    Path data;

    @Test
    void bodiesOneByteShortAreBoundedInTotalAndTimedOut(Vertx vertx) throws Exception {
        Limits limits = new Limits(Limits.DEFAULT_MAX_FRAME_BYTES, Limits.DEFAULT_MAX_VIEWERS, 20, 40, 2L * BODY)
                .withBodies(4L * BODY, 1500);
        Scene scene = Scene.start(vertx, ServerConfig.defaults().withPort(0).withDataDir(data).withMaxRunning(2),
                SecurityConfig.DEFAULT.withLimits(limits));
        byte[] almost = new byte[BODY - 1];
        java.util.Arrays.fill(almost, (byte) ' ');
        List<RawHttp> held = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 25; i++) {
            RawHttp raw = new RawHttp(scene.server.port());
            raw.send("POST /api/runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + BODY + "\r\n\r\n");
            raw.socket.getOutputStream().write(almost);
            held.add(raw);
        }
        int timedOut = 0;
        for (RawHttp raw : held) {
            int status = raw.status();
            if (status == 503) {
                refused++;
            } else {
                assertEquals(408, status, "a body that stops arriving is answered 408");
                timedOut++;
            }
            assertTrue(raw.closedByServer(), "and its connection is closed");
            raw.close();
        }
        System.out.println("held bodies: " + timedOut + " received until they timed out, " + refused + " refused at once");
        assertEquals(4, timedOut, "the budget holds four bodies of " + BODY + " bytes");
        assertEquals(21, refused);
        scene.assertIntact();
    }
}
