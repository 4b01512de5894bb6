package io.trainscope.server.access;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.trainscope.server.access.Clients.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token guessing is slowed (issue 8, low items): ten wrong tokens, then one a second; blank tokens are refused. */
@ExtendWith(VertxExtension.class)
class TokenThrottleTest {

    static final String TOKEN = "short";

    @TempDir
    Path data;

    @Test
    void afterTenWrongTokensAnAddressWaitsEvenWithTheRightOne(Vertx vertx) throws InterruptedException {
        Scene scene = Scene.start(vertx, data, TOKEN, SecurityConfig.DEFAULT.withPrivate(true));
        for (int i = 0; i < TokenThrottle.BURST; i++) {
            assertEquals(403, scene.clients.get("/api/runs", bearer("guess" + i)).status());
        }
        Clients.Reply throttled = scene.clients.get("/api/runs", bearer(TOKEN));
        assertEquals(429, throttled.status(), "the right token is not even checked now");
        assertTrue(throttled.json().getString("error").contains("too many wrong tokens"), throttled.body()::toString);
        assertFalse(throttled.body().toString().contains(TOKEN));
        assertTrue(Integer.parseInt(throttled.headers().get("Retry-After")) >= 1);
        assertEquals(429, scene.clients.get("/api/runs?token=guess", Map.of()).status(), "a download link's token too");
        assertTrue(Clients.refusal(scene.clients.rejected("/ws?token=guess", Map.of()), 429).getString("error")
                .contains("too many wrong tokens"), "and a WebSocket's");
        assertEquals(200, scene.clients.get("/health", Map.of()).status(), "what needs no token is not throttled");
        Thread.sleep(1100);
        assertEquals(200, scene.clients.get("/api/runs", bearer(TOKEN)).status(), "a second later, one more try");
        scene.assertIntact();
    }

    @Test
    void theBudgetRefillsAtOneASecondAndIsPerAddress() {
        TokenThrottle throttle = new TokenThrottle();
        long t = 0;
        for (int i = 0; i < TokenThrottle.BURST; i++) {
            assertTrue(throttle.mayTry("a", t));
            throttle.failed("a", t);
        }
        assertFalse(throttle.mayTry("a", t));
        assertTrue(throttle.mayTry("b", t), "another address is not held up");
        assertEquals(1000, throttle.retryAfterMillis("a", t));
        t += 500_000_000L;
        assertFalse(throttle.mayTry("a", t));
        t += 500_000_000L;
        assertTrue(throttle.mayTry("a", t));
        throttle.failed("a", t);
        assertFalse(throttle.mayTry("a", t));
    }

    @Test
    void blankTokensAndTokensWithSpacesAreRefused() {
        for (String token : new String[] {"", " ", "\t", "a b", "tab\tbed", "line\n"}) {
            assertThrows(IllegalArgumentException.class, () -> new AccessPolicy(token, false), "[" + token + "]");
        }
        new AccessPolicy("fine-token_1", false);
    }
}
