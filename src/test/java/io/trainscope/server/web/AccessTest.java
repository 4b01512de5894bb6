package io.trainscope.server.web;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.testing.Specs;
import io.trainscope.testing.TestViewer;
import io.trainscope.testing.Wait;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one access check: control needs the token, watching does not; foreign pages cannot connect. */
@ExtendWith(VertxExtension.class)
class AccessTest {

    private Vertx vertx;
    private int port;

    @BeforeEach
    void start(Vertx vertx) {
        this.vertx = vertx;
        port = Wait.get(Server.start(vertx, ServerConfig.defaults().withPort(0).withToken("t0k"))).port();
    }

    @Test
    void withoutTheTokenAViewerWatchesButCannotControl() {
        TestViewer watcher = TestViewer.connect(vertx, port);
        assertFalse(watcher.awaitType("hello").getBoolean("control"));
        watcher.send(new JsonObject().put("type", "start").put("spec", Specs.xor(10, 0)));
        JsonObject error = watcher.awaitType("error");
        assertEquals("start", error.getString("request"));
        assertTrue(error.getString("message").contains("token"), error.getString("message"));

        TestViewer controller = TestViewer.connect(vertx, port, "/ws?token=t0k");
        assertTrue(controller.awaitType("hello").getBoolean("control"));
        String run = controller.start(Specs.xor(100, 0));
        watcher.awaitState(run, "finished");
    }

    @Test
    void aForeignOriginIsRefusedAndTheServersOwnAccepted() {
        WebSocketClient client = vertx.createWebSocketClient();
        WebSocketConnectOptions foreign = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws").addHeader("Origin", "http://evil.example");
        Throwable refused = Wait.get(client.connect(foreign).map(ws -> (Throwable) null)
                .recover(failure -> io.vertx.core.Future.succeededFuture(failure)));
        assertTrue(refused != null && refused.getMessage().contains("403"), String.valueOf(refused));
        WebSocketConnectOptions own = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ws").addHeader("Origin", "http://127.0.0.1:" + port);
        Wait.get(client.connect(own)).close();
        client.close();
    }
}
