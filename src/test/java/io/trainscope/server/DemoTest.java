package io.trainscope.server;

import io.trainscope.server.training.Run;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.trainscope.testing.Wait.get;
import static io.trainscope.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class DemoTest {

    @Test
    void theDemoRunStartsPaced(Vertx vertx) {
        Server server = get(Server.start(vertx, ServerConfig.defaults().withPort(0)));
        String id = get(Demo.start(vertx));
        Run run = server.runs().find(id);
        assertEquals(150.0, run.snapshot().pace());
        assertEquals("demo: spiral", run.snapshot().spec().get("name").asText());
        until(() -> run.history().size() >= 1, "a first iteration", Duration.ofSeconds(60));
        long first = run.history().size();
        long started = System.nanoTime();
        until(() -> run.history().size() >= first + 100, "a hundred more iterations", Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - started) / 1e9;
        // Paced at 150 a second, and never more than 0.1 s of it at once even after a stall: a hundred
        // iterations take at least (100 - 15) / 150 = 0.57 s, however loaded the machine.
        assertTrue(seconds > 0.55, "100 paced iterations took only " + seconds + " s");
        assertTrue(run.history().size() < 8000, "the demo is not over in a few seconds");
    }
}
