package io.trainscope.e2e;

import io.trainscope.server.ServerConfig;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Frame times of the page with every view open (the charts, boundary, network, histograms) in headless Chromium
 * at 1366×768: the time between consecutive animation frames, p50 and p99, after a warm-up, over several
 * repetitions (each figure is then the median of the repetitions' figures, with their range). Cases: the idle page
 * (the machine's baseline); a fast run (pace 0, 20 updates a second, each view's snapshot 4 a second) on the
 * server's defaults and with every point pushed live (the browser tests' server: the page then holds up to
 * 200 000 points a run); the same fast run scrolled to the inside views; a run past 10⁷ iterations (a tiny network
 * at full speed) joined late by a second page. Server and browser share the machine, so the load average is
 * printed with each case. With {@code profile} it prints where the page's time goes (Chrome's sampling profiler,
 * self time by function) on the fast run; with {@code screenshot PATH} it saves the page, a demo-like run after a
 * few seconds, instead.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.trainscope.e2e.InsidePageBench [seconds [repetitions]]
 * ... InsidePageBench frames [seconds]
 * ... InsidePageBench profile [seconds] [every]
 * ... InsidePageBench screenshot PATH [WIDTHxHEIGHT]</pre>
 */
public final class InsidePageBench {

    /** One requestAnimationFrame loop per page, however often recording starts again. */
    private static final String RECORD = "window.__frames = []; window.__busy = 0;"
            + " if (!window.__observer) { window.__observer = new PerformanceObserver((list) => list.getEntries()"
            + ".forEach((e) => { window.__busy += e.duration; })); window.__observer.observe({entryTypes: ['longtask']}); }"
            + " if (!window.__ticking) { window.__ticking = true; const tick = (t) => { window.__frames.push(t);"
            + " if (window.__frames.length > 100000) window.__frames = []; requestAnimationFrame(tick); };"
            + " requestAnimationFrame(tick); }";
    private static final long LONG_RUN = 10_000_000L;
    private static final int WARM_UP_MS = 3000;
    /** The server's own point limits (the browser tests' server pushes every point). */
    private static final UnaryOperator<ServerConfig> SERVER_DEFAULTS = c -> c.withPoints(
            ServerConfig.DEFAULT_MAX_LIVE_POINTS, ServerConfig.DEFAULT_MAX_HISTORY_POINTS);

    private InsidePageBench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length > 0 && args[0].equals("screenshot")) {
            String[] size = (args.length > 2 ? args[2] : "1366x768").split("x");
            screenshot(Path.of(args[1]), Integer.parseInt(size[0]), Integer.parseInt(size[1]));
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("updates")) {
            updates(args.length > 1 && args[1].equals("every"));
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("frames")) {
            frames(args.length > 1 ? Integer.parseInt(args[1]) : 20);
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("profile")) {
            profile(args.length > 1 ? Integer.parseInt(args[1]) : 10, args.length > 2 && args[2].equals("every"));
            System.exit(0);
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("%d repetitions of %d s after a %d ms warm-up; figures: median [min..max] of the"
                + " repetitions%n", repetitions, seconds, WARM_UP_MS);
        fastRun("server defaults (4 points a push)", SERVER_DEFAULTS, seconds, repetitions, true);
        fastRun("every point pushed", c -> c, seconds, repetitions, false);
        longRun(seconds, repetitions);
        System.exit(0);
    }

    private static void fastRun(String config, UnaryOperator<ServerConfig> tweak, int seconds, int repetitions,
                                boolean idleToo) throws Exception {
        try (TestServer server = TestServer.start(null, tweak); Browser first = Browser.open()) {
            ChromeDriver driver = open(first, server);
            if (idleToo) {
                report("idle page, no run (the machine's baseline)", driver, seconds, repetitions);
            }
            start(driver, "0", "10000000", "2,16,16,8,1", "400");
            report("fast run, 1366x768, the charts in sight, " + config, driver, seconds, repetitions);
            scroll(driver, true);
            report("fast run, 1366x768, scrolled to the inside views, " + config, driver, seconds, repetitions);
            viewport(driver, 1920, 1080);
            report("fast run, 1920x1080, every chart and view in sight, " + config, driver, seconds, repetitions);
        }
    }

    /** A run past 10⁷ iterations (a tiny network at full speed, nobody watching), then joined by a page. */
    private static void longRun(int seconds, int repetitions) throws Exception {
        try (TestServer server = TestServer.start(null, SERVER_DEFAULTS)) {
            long started = System.nanoTime();
            try (Browser starter = Browser.open()) {
                ChromeDriver driver = open(starter, server);
                start(driver, "0", String.valueOf(LONG_RUN * 3), "2,2,1", "8");
            }
            long at = 0;
            while (at < LONG_RUN) {
                Thread.sleep(2000);
                at = iterationOf(server);
                if (System.nanoTime() - started > 1_800_000_000_000L) {
                    System.out.println("the long run did not reach 10^7 iterations in 30 minutes: at " + at);
                    return;
                }
            }
            System.out.printf("(the tiny run reached %,d iterations in %.0f s)%n", at,
                    (System.nanoTime() - started) / 1e9);
            try (Browser second = Browser.open()) {
                ChromeDriver late = open(second, server);
                viewport(late, 1920, 1080);
                new WebDriverWait(late, Duration.ofSeconds(120))
                        .until(d -> !attribute(late, "histograms", "snapshots").isEmpty()
                                && !attribute(late, "network", "iteration").isEmpty());
                String where = late.findElement(By.id("s-iteration")).getText();
                report("run past 10^7 iterations joined late (at " + where + "), 1920x1080, all in sight, server defaults", late, seconds,
                        repetitions);
            }
        }
    }

    /** The newest run's iteration, from GET /api/runs. */
    private static long iterationOf(TestServer server) throws Exception {
        String body = Pages.send("GET", server.url() + "api/runs", null);
        com.fasterxml.jackson.databind.JsonNode runs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        return runs.isEmpty() ? 0 : runs.get(0).path("iteration").asLong();
    }

    private static ChromeDriver open(Browser browser, TestServer server) {
        ChromeDriver driver = browser.driver;
        driver.get(server.url());
        viewport(driver, 1366, 768);
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.id("connection")).getText().contains("connected"));
        return driver;
    }

    /** The page's viewport exactly width × height CSS pixels (headless Chromium caps a window at its screen). */
    private static void viewport(ChromeDriver driver, int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height + 200));
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    }

    private static void start(ChromeDriver driver, String pace, String iterations, String layers, String samples) {
        for (String[] field : new String[][] {{"pace", pace}, {"iterations", iterations}, {"layers", layers},
                {"samples", samples}}) {
            driver.findElement(By.name(field[0])).clear();
            driver.findElement(By.name(field[0])).sendKeys(field[1]);
        }
        driver.findElement(By.id("start")).click();
        scroll(driver, true);
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> !attribute(driver, "boundary", "iteration").isEmpty());
        scroll(driver, false);
    }

    /** The inside views scrolled into sight (under the charts below 1500 px), or the top of the page. */
    private static void scroll(ChromeDriver driver, boolean inside) {
        driver.executeScript(inside ? "document.getElementById('inside').scrollIntoView()"
                : "document.querySelector('main').scrollTop = 0; window.scrollTo(0, 0);");
    }

    private static String attribute(ChromeDriver driver, String id, String key) {
        String value = driver.findElement(By.id(id)).getDomAttribute("data-" + key);
        return value == null ? "" : value;
    }

    /** One repetition's figures: frame p50, p99, max; long-task ms a second; the views' and charts' draw p99. */
    private record Figures(double p50, double p99, double max, double busyPerSecond, double insideP99,
                           double chartsP99) {
    }

    private static void report(String what, ChromeDriver driver, int seconds, int repetitions)
            throws InterruptedException {
        JavascriptExecutor js = driver;
        js.executeScript(RECORD);
        Thread.sleep(WARM_UP_MS);
        String load = loadAverage();
        List<Figures> all = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
            js.executeScript("window.__frames = []; window.__busy = 0; performance.clearMeasures();");
            Thread.sleep(seconds * 1000L);
            all.add(measure(js, seconds));
        }
        System.out.printf("%s (load average before %s, after %s):%n", what, load, loadAverage());
        System.out.printf("  frame time p50 %s ms, p99 %s ms, max %s ms; long tasks %s ms a second;"
                        + " views' draw p99 %s ms, charts' draw p99 %s ms%n",
                spread(all, Figures::p50), spread(all, Figures::p99), spread(all, Figures::max),
                spread(all, Figures::busyPerSecond), spread(all, Figures::insideP99), spread(all, Figures::chartsP99));
    }

    private static Figures measure(JavascriptExecutor js, int seconds) {
        @SuppressWarnings("unchecked")
        List<Number> times = (List<Number>) js.executeScript("const f = window.__frames; window.__frames = [];"
                + " return f;");
        Number busy = (Number) js.executeScript("return window.__busy;");
        double[] draws = new double[2];
        String[] names = {"trainscope-inside-draw", "trainscope-charts-draw"};
        for (int k = 0; k < names.length; k++) {
            @SuppressWarnings("unchecked")
            List<Number> d = (List<Number>) js.executeScript("return performance.getEntriesByName(arguments[0])"
                    + ".map((e) => e.duration);", names[k]);
            List<Double> sorted = new ArrayList<>();
            d.forEach(x -> sorted.add(x.doubleValue()));
            sorted.sort(null);
            draws[k] = sorted.isEmpty() ? 0 : at(sorted, 0.99);
        }
        List<Double> deltas = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            deltas.add(times.get(i).doubleValue() - times.get(i - 1).doubleValue());
        }
        deltas.sort(null);
        if (deltas.isEmpty()) {
            deltas.add((double) seconds * 1000);
        }
        return new Figures(at(deltas, 0.5), at(deltas, 0.99), deltas.get(deltas.size() - 1),
                busy.doubleValue() / seconds, draws[0], draws[1]);
    }

    private static String spread(List<Figures> all, java.util.function.ToDoubleFunction<Figures> figure) {
        double[] v = all.stream().mapToDouble(figure).sorted().toArray();
        return String.format("%.1f [%.1f..%.1f]", v[v.length / 2], v[0], v[v.length - 1]);
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * What one update of each chart costs (chart.update('none'), 15 in a row, median), on the fast run after 20 s:
     * the CPU a redraw needs, apart from how often the page redraws.
     */
    private static void updates(boolean every) throws Exception {
        UnaryOperator<ServerConfig> tweak = every ? c -> c : SERVER_DEFAULTS;
        try (TestServer server = TestServer.start(null, tweak); Browser browser = Browser.open()) {
            ChromeDriver driver = open(browser, server);
            start(driver, "0", "10000000", "2,16,16,8,1", "400");
            Thread.sleep(20_000);
            Object out = driver.executeScript("return [...document.querySelectorAll('canvas[id^=chart-]')].map((c) => {"
                    + " const chart = Chart.getChart(c); const t = [];"
                    + " for (let i = 0; i < 15; i++) { const s = performance.now(); chart.update('none');"
                    + " t.push(performance.now() - s); } t.sort((a, b) => a - b);"
                    + " return c.id + ' ' + c.dataset.points + ' points: ' + t[7].toFixed(1) + ' ms'; }).join('; ');");
            System.out.printf("load average %s; %s%n", loadAverage(), out);
            scroll(driver, true);
            driver.executeScript("performance.clearMeasures();");
            Thread.sleep(10_000);
            Object views = driver.executeScript("return ['boundary', 'network', 'histograms'].map((v) => {"
                    + " const t = performance.getEntriesByName('trainscope-view-' + v).map((e) => e.duration)"
                    + ".sort((a, b) => a - b); return v + ' ' + t.length + ' draws, median '"
                    + " + (t.length ? t[t.length >> 1].toFixed(1) : '-') + ' ms'; }).join('; ');");
            System.out.printf("load average %s; %s%n", loadAverage(), views);
        }
    }

    /**
     * One window of the fast run on the server's defaults at 1366×768: frame p50 and p99, the frames past 34 ms,
     * and what script ran in each of those (each chart update and each measured draw, with its ms), to tell a long
     * frame's script from its pixels.
     */
    private static void frames(int seconds) throws Exception {
        try (TestServer server = TestServer.start(null, SERVER_DEFAULTS); Browser browser = Browser.open()) {
            ChromeDriver driver = open(browser, server);
            start(driver, "0", "10000000", "2,16,16,8,1", "400");
            Thread.sleep(WARM_UP_MS);
            driver.executeScript("window.__log = []; window.__cur = { t: performance.now(), items: [] };"
                    + " const u = Chart.prototype.update; Chart.prototype.update = function (...a) {"
                    + " const s = performance.now(); const r = u.apply(this, a); window.__cur.items.push("
                    + "this.canvas.id + ' ' + (performance.now() - s).toFixed(1)); return r; };"
                    + " const tick = (t) => { window.__log.push({ dt: t - window.__cur.t, items: window.__cur.items });"
                    + " window.__cur = { t, items: [] }; requestAnimationFrame(tick); }; requestAnimationFrame(tick);"
                    + " new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__cur.items.push("
                    + "e.name + ' ' + e.duration.toFixed(1)))).observe({ entryTypes: ['measure'] });");
            Thread.sleep(seconds * 1000L);
            Object out = driver.executeScript("const d = window.__log.map((f) => f.dt).sort((a, b) => a - b);"
                    + " const at = (q) => d[Math.min(d.length - 1, Math.floor(q * d.length))].toFixed(1);"
                    + " return d.length + ' frames, p50 ' + at(0.5) + ' ms, p99 ' + at(0.99) + ' ms; past 34 ms: '"
                    + " + d.filter((x) => x > 34).length + '\\n' + window.__log.filter((f) => f.dt > 34)"
                    + ".map((f) => '  ' + f.dt.toFixed(1) + ' ms: ' + f.items.join(', ')).join('\\n');");
            System.out.printf("load average %s; %s%n", loadAverage(), out);
        }
    }

    /** Self time by function over seconds of the fast run, from Chrome's sampling profiler, the top 25. */
    private static void profile(int seconds, boolean every) throws Exception {
        UnaryOperator<ServerConfig> tweak = every ? c -> c : SERVER_DEFAULTS;
        try (TestServer server = TestServer.start(null, tweak); Browser browser = Browser.open()) {
            ChromeDriver driver = open(browser, server);
            start(driver, "0", "10000000", "2,16,16,8,1", "400");
            Thread.sleep(WARM_UP_MS);
            driver.executeCdpCommand("Performance.enable", Map.of());
            driver.executeScript("window.__updates = 0; const u = Chart.prototype.update;"
                    + " Chart.prototype.update = function (...a) { window.__updates++; return u.apply(this, a); };"
                    + " window.__messages = 0; const m = WebSocket.prototype.dispatchEvent;");
            Map<String, Double> before = metrics(driver);
            Thread.sleep(seconds * 1000L);
            Map<String, Double> after = metrics(driver);
            System.out.printf("chart updates a second: %.1f%n",
                    ((Number) driver.executeScript("return window.__updates;")).doubleValue() / seconds);
            System.out.printf("over %d s, seconds of the renderer's main thread (Performance.getMetrics):", seconds);
            for (String name : List.of("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")) {
                System.out.printf(" %s %.2f", name, after.getOrDefault(name, 0.0) - before.getOrDefault(name, 0.0));
            }
            System.out.printf("; layouts %.0f, style recalcs %.0f%n",
                    after.getOrDefault("LayoutCount", 0.0) - before.getOrDefault("LayoutCount", 0.0),
                    after.getOrDefault("RecalcStyleCount", 0.0) - before.getOrDefault("RecalcStyleCount", 0.0));
            driver.executeCdpCommand("Profiler.enable", Map.of());
            driver.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 200));
            driver.executeCdpCommand("Profiler.start", Map.of());
            Thread.sleep(seconds * 1000L);
            @SuppressWarnings("unchecked")
            Map<String, Object> profile = (Map<String, Object>) driver.executeCdpCommand("Profiler.stop", Map.of())
                    .get("profile");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> nodes = (List<Map<String, Object>>) profile.get("nodes");
            @SuppressWarnings("unchecked")
            List<Number> samples = (List<Number>) profile.get("samples");
            @SuppressWarnings("unchecked")
            List<Number> deltas = (List<Number>) profile.get("timeDeltas");
            Map<Long, String> names = new HashMap<>();
            for (Map<String, Object> node : nodes) {
                @SuppressWarnings("unchecked")
                Map<String, Object> frame = (Map<String, Object>) node.get("callFrame");
                String url = String.valueOf(frame.get("url"));
                String name = frame.get("functionName") + " " + url.substring(url.lastIndexOf('/') + 1) + ":"
                        + frame.get("lineNumber");
                names.put(((Number) node.get("id")).longValue(), name);
            }
            Map<String, Double> self = new HashMap<>();
            double total = 0;
            for (int i = 0; i < samples.size(); i++) {
                double ms = (i + 1 < deltas.size() ? deltas.get(i + 1).doubleValue() : 0) / 1000;
                self.merge(names.get(samples.get(i).longValue()), ms, Double::sum);
                total += ms;
            }
            System.out.printf("%.0f ms sampled in %d s (load average %s); self time:%n", total, seconds, loadAverage());
            self.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                    .limit(25).forEach(e -> System.out.printf("  %8.1f ms  %s%n", e.getValue(), e.getKey()));
        }
    }

    private static Map<String, Double> metrics(ChromeDriver driver) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) driver.executeCdpCommand("Performance.getMetrics",
                Map.of()).get("metrics");
        Map<String, Double> out = new HashMap<>();
        list.forEach(m -> out.put(String.valueOf(m.get("name")), ((Number) m.get("value")).doubleValue()));
        return out;
    }

    private static void screenshot(Path file, int width, int height) throws Exception {
        Path data = Files.createTempDirectory("trainscope-shot");
        try (TestServer server = TestServer.start(null, data); Browser browser = Browser.open()) {
            ChromeDriver driver = open(browser, server);
            viewport(driver, width, height);
            driver.findElement(By.name("learningRate")).clear();
            driver.findElement(By.name("learningRate")).sendKeys("0.2");
            start(driver, "600", "30000", "2,16,16,8,1", "400");
            new WebDriverWait(driver, Duration.ofSeconds(90))
                    .until(d -> Long.parseLong(attribute(driver, "boundary", "iteration")) > 6000);
            driver.findElement(By.id("gradient-check")).click();
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !attribute(driver, "gradient-result", "state")
                    .equals("checking"));
            Thread.sleep(500);
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        }
    }
}
