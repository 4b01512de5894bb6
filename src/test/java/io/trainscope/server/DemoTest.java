package io.trainscope.server;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.trainscope.server.TestViewer.get;
import static io.trainscope.server.TestViewer.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class DemoTest {

    @Test
    void theDemoRunStartsPaced(Vertx vertx) {
        Server server = get(Server.start(vertx, ServerConfig.defaults().withPort(0)));
        String id = get(Demo.start(vertx));
        Run run = server.runs().find(id);
        assertEquals(100.0, run.snapshot().pace());
        assertEquals("demo: spiral", run.snapshot().spec().get("name").asText());
        long started = System.nanoTime();
        until(() -> run.history().size() >= 50, "fifty iterations", Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - started) / 1e9;
        // Paced at 100 a second: fifty iterations cannot come much sooner than half a second.
        assertTrue(seconds > 0.3, "50 paced iterations took only " + seconds + " s");
        assertTrue(run.history().size() < 6000, "the demo is not over in a few seconds");
    }
}
