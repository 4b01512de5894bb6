package io.trainscope.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard as two people use it: two pages on the same server, in a real (headless) Chromium. One
 * starts a run, both watch its charts fill, the other stops it, both see it stopped.
 */
@Tag("browser")
@Timeout(120)
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String TOKEN = "e2e-secret";

    private static TestServer server;
    private static TestServer guarded;
    private static Browser alice;
    private static Browser bob;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireInstalled();
        // Chromium takes seconds to start on a busy machine: both at once, and the server meanwhile.
        CompletableFuture<Browser> a = CompletableFuture.supplyAsync(Browser::openUnchecked);
        CompletableFuture<Browser> b = CompletableFuture.supplyAsync(Browser::openUnchecked);
        server = TestServer.start(null);
        guarded = TestServer.start(TOKEN);
        alice = a.get();
        bob = b.get();
    }

    @AfterAll
    static void stop() throws Exception {
        try (Browser a = alice; Browser b = bob; TestServer s = server; TestServer g = guarded) {
            // closed in reverse order, each even if another fails
        }
    }

    /**
     * One story, so that the browsers load the page only three times: a bad spec, a good one, both pages
     * filling, one page losing its connection and resuming, then reloaded mid-run (a late viewer), and a stop
     * from the other page.
     */
    @Test
    void twoViewersShareOneRunAndEitherCanStopIt() {
        WebDriver a = alice.driver;
        WebDriver b = bob.driver;
        open(alice);
        open(bob);

        type(a, "learningRate", "-1");
        a.findElement(By.id("start")).click();
        waitFor(alice, "the learning rate's error is shown beside its field",
                d -> !d.findElement(By.cssSelector("output[data-for=learningRate]")).getText().isBlank());
        assertTrue(a.findElement(By.cssSelector("output[data-for=learningRate]")).getText().contains("“-1”"),
                "the error names what was typed");
        assertEquals("", b.findElement(By.cssSelector("output[data-for=learningRate]")).getText(),
                "errors go to the sender alone");

        // A run that lasts: paced, so that it is still running when Bob stops it. Slow enough that a live update
        // (20 a second) stays far below the 100 points past which it is downsampled, even when a loaded machine
        // delays a push: the gap-and-duplicate check below counts every point.
        type(a, "learningRate", "0.1");
        type(a, "layers", "2,8,8,1");
        type(a, "iterations", "1000000");
        type(a, "pace", "300");
        a.findElement(By.id("start")).click();
        for (Browser page : new Browser[] {alice, bob}) {
            waitFor(page, "run-state shows running", d -> "running".equals(state(d)));
            waitFor(page, "the cost and weight charts fill",
                    d -> points(d, "chart-cost") > 50 && points(d, "chart-weights") > 50);
            assertEquals(3, lines(page.driver, "chart-weights"), "one weight-norm line per layer, W1..W3");
        }
        everyChartOfTheRegistryFills(alice);

        // Bob's machine drops off the network while the run goes on, then comes back: his page reconnects and
        // holds every iteration from 0 exactly once (the points are strictly increasing, so as many points as
        // iterations means no gap and no duplicate).
        JavascriptExecutor bobJs = (JavascriptExecutor) b;
        bobJs.executeScript("window.dispatchEvent(new Event('offline'))");
        waitFor(bob, "the page shows offline", d -> "offline".equals(connection(d)));
        long before = last(b, "chart-cost");
        waitFor(alice, "the run goes on", d -> last(d, "chart-cost") > before + 200);
        bobJs.executeScript("window.dispatchEvent(new Event('online'))");
        waitFor(bob, "the page reconnects", d -> "connected".equals(connection(d)));
        long target = last(a, "chart-cost");
        waitFor(bob, "the page catches up", d -> last(d, "chart-cost") >= target);
        // Read in one script, so that no update lands between the two figures.
        Object held = bobJs.executeScript("const d = document.getElementById('chart-cost').dataset;"
                + " return [d.first, d.points, d.last].join(' ');");
        String[] firstPointsLast = String.valueOf(held).split(" ");
        assertEquals("0", firstPointsLast[0], "the history starts at iteration 0");
        assertEquals(Long.parseLong(firstPointsLast[2]) + 1, Long.parseLong(firstPointsLast[1]),
                "as many points as iterations: no gap and no duplicate after reconnecting");

        b.navigate().refresh();
        waitFor(bob, "a late viewer's charts fill from the history", d -> points(d, "chart-cost") > 50);
        assertEquals("0", b.findElement(By.id("chart-cost")).getAttribute("data-first"),
                "the history starts at iteration 0");

        // Alice changes the live run's learning rate with Enter: a bad rate is answered beside the field, on her
        // page only; a good one reaches both pages' fields and is marked on both cost charts.
        WebElement rate = a.findElement(By.id("live-rate"));
        rate.clear();
        rate.sendKeys("-1", Keys.ENTER);
        waitFor(alice, "the bad rate's error shows beside the field",
                d -> d.findElement(By.id("live-error")).getText().contains("learningRate"));
        rate.clear();
        rate.sendKeys("0.05", Keys.ENTER);
        for (Browser page : new Browser[] {alice, bob}) {
            waitFor(page, "the new rate shows and is marked on the cost chart",
                    d -> "0.05".equals(d.findElement(By.id("live-rate")).getAttribute("value"))
                            && "1".equals(d.findElement(By.id("chart-cost")).getAttribute("data-changes")));
        }
        assertEquals("", b.findElement(By.id("live-error")).getText(), "errors go to the sender alone");

        b.findElement(By.id("stop")).click();
        for (Browser page : new Browser[] {alice, bob}) {
            waitFor(page, "run-state shows stopped", d -> "stopped".equals(state(d)));
            assertTrue(page.driver.findElement(By.id("stop")).getAttribute("disabled") != null,
                    "Stop is disabled once the run is stopped");
        }
    }

    /** With --token, a page without it watches read-only; the token on the URL gives control and leaves the bar. */
    @Test
    void withATokenAPageWithoutItWatchesReadOnly() {
        WebDriver a = alice.driver;
        WebDriver b = bob.driver;
        open(alice, guarded.url() + "?token=" + TOKEN);
        open(bob, guarded.url());
        assertTrue(!a.getCurrentUrl().contains(TOKEN), "the token leaves the address bar: " + a.getCurrentUrl());
        assertTrue(b.findElement(By.id("read-only")).isDisplayed(), "the read-only badge shows");
        assertTrue(b.findElement(By.id("start")).getAttribute("disabled") != null, "Start is disabled");
        assertTrue(!a.findElement(By.id("read-only")).isDisplayed(), "with the token, no read-only badge");

        type(a, "layers", "2,4,1");
        type(a, "iterations", "1000000");
        type(a, "pace", "1000");
        a.findElement(By.id("start")).click();
        waitFor(bob, "the read-only viewer watches the run", d -> points(d, "chart-cost") > 50);
        assertTrue(b.findElement(By.id("stop")).getAttribute("disabled") != null, "Stop is disabled read-only");
        assertTrue(b.findElement(By.id("live-rate")).getAttribute("disabled") != null,
                "the live learning rate is disabled read-only");
        assertTrue(a.findElement(By.id("live-rate")).getAttribute("disabled") == null, "and enabled with the token");

        a.findElement(By.id("stop")).click();
        waitFor(bob, "run-state shows stopped", d -> "stopped".equals(state(d)));
    }

    /**
     * A run kept on disk by one server and listed by the next (a restart) is overlaid on the cost chart of a
     * new run: its points come from the store, and only this viewer's chart shows them.
     */
    @Test
    void aStoredPastRunOverlaysTheCostChartOfANewRun(@TempDir Path data) throws Exception {
        String past;
        try (TestServer first = TestServer.start(null, data)) {
            HttpClient http = HttpClient.newHttpClient();
            String spec = "{\"layers\": [2, 4, 1], \"learningRate\": 0.5, \"iterations\": 400, \"seed\": 2,"
                    + " \"dataset\": {\"name\": \"xor\", \"samples\": 64}}";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(first.url() + "api/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spec)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            past = new JsonObject(created.body()).getString("id");
            URI run = URI.create(first.url() + "api/runs/" + past);
            new WebDriverWait(alice.driver, WAIT, Duration.ofMillis(100)).withMessage("the past run to finish")
                    .until(d -> {
                        try {
                            return "finished".equals(new JsonObject(http.send(HttpRequest.newBuilder(run).build(),
                                    HttpResponse.BodyHandlers.ofString()).body()).getString("status"));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
        }
        try (TestServer second = TestServer.start(null, data)) {
            WebDriver a = alice.driver;
            open(alice, second.url());
            type(a, "layers", "2,8,1");
            type(a, "iterations", "1000000");
            type(a, "pace", "1000");
            a.findElement(By.id("start")).click();
            waitFor(alice, "the new run's cost chart fills", d -> points(d, "chart-cost") > 50);
            a.findElement(By.cssSelector("#runs tr[data-id='" + past + "'] input.overlay")).click();
            waitFor(alice, "the past run's cost is overlaid with its 400 stored points", d -> ((Number) ((JavascriptExecutor) d)
                    .executeScript("const sets = Chart.getChart('chart-cost').data.datasets;"
                            + " const o = sets.find((s) => s.label === 'run ' + arguments[0]);"
                            + " return o ? o.data.length : -1;", past)).longValue() == 400);
            a.findElement(By.id("stop")).click();
            waitFor(alice, "run-state shows stopped", d -> "stopped".equals(state(d)));
        }
    }

    /**
     * A run longer than the page may hold (here a bound of 500 points, given on the URL) is not thinned by the page:
     * each time it grows past the bound the page asks the server for the whole run again, at half the bound, and
     * holds what the server's downsampling kept. It ends within the bound, from iteration 0 to the last, every point
     * it holds a real, stored point.
     */
    @Test
    void aRunLongerThanThePageHoldsIsAskedForAgainNotThinned() throws Exception {
        ChromeDriver a = alice.driver;
        // Notes every history request the page sends, on its next load only.
        Object hook = a.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.asked = []; const send = WebSocket.prototype.send;"
                + " WebSocket.prototype.send = function (data) {"
                + "   const m = JSON.parse(data); if (m.type === 'history') { window.asked.push(m); }"
                + "   return send.call(this, data); };")).get("identifier");
        try {
            open(alice, server.url() + "?maxPoints=500");
        } finally {
            a.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", hook));
        }
        type(a, "layers", "2,4,1");
        type(a, "iterations", "3000");
        type(a, "pace", "1000");
        a.findElement(By.id("start")).click();
        waitFor(alice, "the run finishes and the page holds its last iteration within the bound",
                d -> "finished".equals(state(d)) && last(d, "chart-cost") == 2999 && points(d, "chart-cost") <= 500);
        String run = a.findElement(By.cssSelector("#runs tr.viewed")).getAttribute("data-id");
        for (WebElement canvas : a.findElements(By.cssSelector("#chart-grid canvas"))) {
            long held = Long.parseLong(canvas.getAttribute("data-points"));
            assertTrue(held > 0 && held <= 500, canvas.getAttribute("id") + " holds " + held + " points");
        }
        assertEquals("0", a.findElement(By.id("chart-cost")).getAttribute("data-first"), "iteration 0 is kept");

        // Every run the page holds is kept within the bound so (a run of an earlier test, shown on joining, too).
        List<?> asked = (List<?>) a.executeScript("return window.asked.map((m) => JSON.stringify(m))");
        long forThisRun = 0;
        for (Object message : asked) {
            JsonObject m = new JsonObject((String) message);
            assertEquals(0, m.getLong("from"), "the whole run: " + m.encode());
            assertTrue(m.getLong("maxPoints") <= 250, "at half the bound: " + m.encode());
            forThisRun += run.equals(m.getString("runId")) ? 1 : 0;
        }
        assertTrue(forThisRun >= 2, "the page asked for the run again each time it grew past the bound: " + asked);

        // What the page holds are the server's points, not points of its own making.
        HttpResponse<String> stored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + "api/runs/" + run + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Map<Long, Double> cost = new HashMap<>();
        stored.body().lines().map(JsonObject::new).forEach(p -> cost.put(p.getLong("iteration"), p.getDouble("cost")));
        assertEquals(3000, cost.size());
        JsonArray held = new JsonArray((String) a.executeScript(
                "return JSON.stringify(Chart.getChart('chart-cost').data.datasets[0].data.map((p) => [p.x, p.y]))"));
        long previous = -1;
        for (Object point : held) {
            JsonArray xy = (JsonArray) point;
            long x = xy.getLong(0);
            assertTrue(x > previous, "in iteration order, without duplicates");
            // The page reads the binary encoding: each value the nearest float32 of the stored double.
            assertEquals((float) cost.get(x).doubleValue(), xy.getDouble(1), 0.0, "the stored cost of iteration " + x);
            previous = x;
        }
    }

    /**
     * The charts come from the page's registry (webroot/js/chartlist.js), read here from the module the page
     * loads: one card per entry and no other, each canvas filling with the run, each offered log toggle in its
     * entry's starting state and switching its chart's axis.
     */
    @SuppressWarnings("unchecked")
    private static void everyChartOfTheRegistryFills(Browser page) {
        JavascriptExecutor js = (JavascriptExecutor) page.driver;
        List<List<String>> entries = (List<List<String>>) js.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + " import(new URL('js/chartlist.js', location.href).href)"
                + "   .then((m) => done(m.CHARTS.map((c) => [c.id, c.log || ''])), (e) => done(String(e)));");
        assertTrue(entries.size() >= 4, "the registry lists the charts: " + entries);
        assertEquals(entries.size(), ((Number) js.executeScript(
                "return document.querySelectorAll('#chart-grid figure canvas').length")).intValue(),
                "one card per registry entry, and no other");
        for (List<String> entry : entries) {
            String canvas = "chart-" + entry.get(0);
            waitFor(page, canvas + " fills", d -> points(d, canvas) > 50);
            List<WebElement> toggle = page.driver.findElements(By.id(entry.get(0) + "-log"));
            assertEquals(entry.get(1).isEmpty() ? 0 : 1, toggle.size(), canvas + ": a log toggle only where offered");
            if (!toggle.isEmpty()) {
                boolean log = entry.get(1).equals("log");
                assertEquals(log, toggle.get(0).isSelected(), canvas + "'s toggle starts " + entry.get(1));
                assertEquals(log ? "logarithmic" : "linear", yScale(page.driver, canvas));
                toggle.get(0).click();
                assertEquals(log ? "linear" : "logarithmic", yScale(page.driver, canvas), canvas + "'s toggle switches it");
                toggle.get(0).click();
                assertEquals(log ? "logarithmic" : "linear", yScale(page.driver, canvas));
            }
        }
    }

    private static String yScale(WebDriver d, String canvas) {
        return (String) ((JavascriptExecutor) d).executeScript(
                "return Chart.getChart(arguments[0]).options.scales.y.type", canvas);
    }

    private static void open(Browser page) {
        open(page, server.url());
    }

    private static void open(Browser page, String url) {
        page.driver.get(url);
        waitFor(page, "the page connects", d -> "connected".equals(connection(d)));
    }

    private static void type(WebDriver d, String field, String value) {
        WebElement input = d.findElement(By.name(field));
        input.clear();
        input.sendKeys(value);
    }

    private static String state(WebDriver d) {
        return d.findElement(By.id("run-state")).getAttribute("data-state");
    }

    private static String connection(WebDriver d) {
        return d.findElement(By.id("connection")).getAttribute("data-state");
    }

    private static long points(WebDriver d, String chart) {
        return number(d, chart, "data-points");
    }

    private static long last(WebDriver d, String chart) {
        return number(d, chart, "data-last");
    }

    private static long number(WebDriver d, String chart, String attribute) {
        String n = d.findElement(By.id(chart)).getAttribute(attribute);
        return n == null || n.isEmpty() ? -1 : Long.parseLong(n);
    }

    private static long lines(WebDriver d, String chart) {
        Object n = ((JavascriptExecutor) d).executeScript("return Chart.getChart(arguments[0]).data.datasets.length", chart);
        return ((Number) n).longValue();
    }

    private static void waitFor(Browser page, String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(page.driver, WAIT, Duration.ofMillis(100)).withMessage(what).until(condition::apply);
    }
}
