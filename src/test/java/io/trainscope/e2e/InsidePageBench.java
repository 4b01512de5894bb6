package io.trainscope.e2e;

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
import java.util.List;
import java.util.Locale;

/**
 * Frame times of the page with every view open (charts, boundary, network, histograms) in headless Chromium at
 * 1366×768: the time between consecutive animation frames over {@code seconds}, p50 and p99, on a fast run (live
 * updates 20 a second, each view's snapshot 4 a second) and on a long run (10⁷ iterations) joined late by a
 * second page. Server and browser share the machine, so the figures are an upper bound. With {@code screenshot
 * PATH} it saves the page, a demo-like run after a few seconds, instead.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) io.trainscope.e2e.InsidePageBench [seconds | screenshot PATH [WIDTHxHEIGHT]]</pre>
 */
public final class InsidePageBench {

    private static final String RECORD = "window.__frames = []; window.__busy = 0;"
            + " if (!window.__observer) { window.__observer = new PerformanceObserver((list) => list.getEntries()"
            + ".forEach((e) => { window.__busy += e.duration; })); window.__observer.observe({entryTypes: ['longtask']}); }"
            + " const tick = (t) => { window.__frames.push(t);"
            + " if (window.__frames.length < 100000) requestAnimationFrame(tick); }; requestAnimationFrame(tick);";

    private InsidePageBench() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length > 0 && args[0].equals("screenshot")) {
            String[] size = (args.length > 2 ? args[2] : "1366x768").split("x");
            screenshot(Path.of(args[1]), Integer.parseInt(size[0]), Integer.parseInt(size[1]));
            System.exit(0);
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path data = Files.createTempDirectory("trainscope-bench");
        try (TestServer server = TestServer.start(null, data); Browser first = Browser.open()) {
            ChromeDriver driver = open(first, server);
            report("idle page, no run (the machine's baseline)", driver, seconds);
            start(driver, "0", "10000000");
            Thread.sleep(3000);
            report("fast run, all views", driver, seconds);
            Thread.sleep(Math.max(0, 30_000 - seconds * 1000L));
            try (Browser second = Browser.open()) {
                ChromeDriver late = open(second, server);
                new WebDriverWait(late, Duration.ofSeconds(60)).until(d -> !attribute(late, "histograms", "snapshots").isEmpty());
                String at = late.findElement(By.id("s-iteration")).getText();
                report("10^7-iteration run joined late at iteration " + at, late, seconds);
            }
        }
        System.exit(0);
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
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of("width", width,
                "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
    }

    private static void start(ChromeDriver driver, String pace, String iterations) {
        driver.findElement(By.name("pace")).clear();
        driver.findElement(By.name("pace")).sendKeys(pace);
        driver.findElement(By.name("iterations")).clear();
        driver.findElement(By.name("iterations")).sendKeys(iterations);
        driver.findElement(By.id("start")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !attribute(driver, "boundary", "iteration").isEmpty());
    }

    private static String attribute(ChromeDriver driver, String id, String key) {
        String value = driver.findElement(By.id(id)).getDomAttribute("data-" + key);
        return value == null ? "" : value;
    }

    private static void report(String what, ChromeDriver driver, int seconds) throws InterruptedException {
        JavascriptExecutor js = driver;
        js.executeScript(RECORD);
        js.executeScript("performance.clearMeasures();");
        Thread.sleep(seconds * 1000L);
        @SuppressWarnings("unchecked")
        List<Number> times = (List<Number>) js.executeScript("const f = window.__frames; window.__frames = [];"
                + " return f;");
        Number busy = (Number) js.executeScript("return window.__busy;");
        for (String name : List.of("trainscope-inside-draw", "trainscope-charts-draw")) {
            @SuppressWarnings("unchecked")
            List<Number> draws = (List<Number>) js.executeScript("const d = performance.getEntriesByName(arguments[0])"
                    + ".map((e) => e.duration); performance.clearMeasures(arguments[0]); return d;", name);
            List<Double> sorted = new ArrayList<>();
            draws.forEach(d -> sorted.add(d.doubleValue()));
            sorted.sort(null);
            if (!sorted.isEmpty()) {
                System.out.printf("  %s: %d draws, p50 %.1f ms, p99 %.1f ms%n", name, sorted.size(), at(sorted, 0.5),
                        at(sorted, 0.99));
            }
        }
        List<Double> deltas = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            deltas.add(times.get(i).doubleValue() - times.get(i - 1).doubleValue());
        }
        deltas.sort(null);
        System.out.printf("%s: %d frames in %d s, frame time p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                        + " long tasks (> 50 ms) %.0f ms in all%n", what, times.size(), seconds, at(deltas, 0.5),
                at(deltas, 0.99), deltas.get(deltas.size() - 1), busy.doubleValue());
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    private static void screenshot(Path file, int width, int height) throws Exception {
        Path data = Files.createTempDirectory("trainscope-shot");
        try (TestServer server = TestServer.start(null, data); Browser browser = Browser.open()) {
            ChromeDriver driver = open(browser, server);
            viewport(driver, width, height);
            driver.findElement(By.name("learningRate")).clear();
            driver.findElement(By.name("learningRate")).sendKeys("0.2");
            start(driver, "600", "30000");
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
