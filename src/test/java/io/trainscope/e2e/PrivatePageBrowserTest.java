package io.trainscope.e2e;

import io.trainscope.server.Server;
import io.trainscope.server.ServerConfig;
import io.trainscope.server.access.SecurityConfig;
import io.trainscope.server.web.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --private} in a real browser: the page loads without the token but says the server is private and
 * offers no control; with {@code ?token=} it connects, with control, and the token leaves the address bar.
 */
@Tag("browser")
class PrivatePageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "private-e2e-token";

    @Test
    void withoutTheTokenThePageSaysSoAndWithItThePageWorks() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(
                new FileSystemOptions().setFileCachingEnabled(false)));
        try (Browser page = Browser.open()) {
            Server server = Server.start(vertx, ServerConfig.defaults().withPort(0).withToken(TOKEN),
                            SecurityConfig.DEFAULT.withPrivate(true), new ServerMetrics())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            String url = "http://127.0.0.1:" + server.port() + "/";
            WebDriver d = page.driver;

            d.get(url);
            waitFor(d, "the page says the server is private", x -> "refused".equals(connection(x)));
            assertTrue(d.findElement(By.id("connection")).getText().contains("private"),
                    d.findElement(By.id("connection")).getText());
            assertNotNull(d.findElement(By.id("start")).getAttribute("disabled"), "Start is disabled");

            d.get(url + "?token=wrong");
            waitFor(d, "the page says the token is wrong", x -> d.findElement(By.id("connection")).getText()
                    .contains("wrong"));

            d.get(url + "?token=" + TOKEN);
            waitFor(d, "with the token the page connects", x -> "connected".equals(connection(x)));
            assertFalse(d.getCurrentUrl().contains(TOKEN), "the token leaves the address bar: " + d.getCurrentUrl());
            assertFalse(d.findElement(By.id("read-only")).isDisplayed(), "with the token, control");
            waitFor(d, "Start is enabled", x -> x.findElement(By.id("start")).getAttribute("disabled") == null);

            d.navigate().refresh();
            waitFor(d, "a reload keeps the token for this tab", x -> "connected".equals(connection(x)));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static String connection(WebDriver d) {
        return d.findElement(By.id("connection")).getAttribute("data-state");
    }

    private static void waitFor(WebDriver d, String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(d, WAIT, Duration.ofMillis(100)).withMessage(what).until(condition::apply);
    }
}
