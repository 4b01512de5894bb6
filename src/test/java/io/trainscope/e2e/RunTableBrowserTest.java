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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.trainscope.e2e.Pages.column;
import static io.trainscope.e2e.Pages.js;
import static io.trainscope.e2e.Pages.open;
import static io.trainscope.e2e.Pages.post;
import static io.trainscope.e2e.Pages.rows;
import static io.trainscope.e2e.Pages.runsOn;
import static io.trainscope.e2e.Pages.type;
import static io.trainscope.e2e.Pages.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page of issue 11 in a real (headless) Chromium: a sweep started from the page racing on every chart, the
 * runs table (sort, filter, select, overlay, CSV), smoothing, PNG, the view as a link, the phone layout, and each
 * defect the issue lists.
 */
@Tag("browser")
@Timeout(180)
class RunTableBrowserTest {

    private static final String[] CHARTS = {"chart-cost", "chart-accuracy", "chart-weights", "chart-gradients",
        "chart-learning-rate"};

    private static Browser alice;
    private static Browser bob;

    @BeforeAll
    static void start() throws Exception {
        Browser.requireInstalled();
        CompletableFuture<Browser> a = CompletableFuture.supplyAsync(Browser::openUnchecked);
        CompletableFuture<Browser> b = CompletableFuture.supplyAsync(Browser::openUnchecked);
        alice = a.get();
        bob = b.get();
    }

    @AfterAll
    static void stop() throws Exception {
        try (Browser a = alice; Browser b = bob) {
            // both closed, each even if the other fails
        }
    }

    private static void smallRun(WebDriver d, String iterations, String pace) {
        type(d, "layers", "2,8,1");
        type(d, "iterations", iterations);
        type(d, "pace", pace);
        new Select(d.findElement(By.name("dataset"))).selectByValue("xor");
        type(d, "samples", "64");
        type(d, "validationSplit", "0.25");
    }

    @Test
    void aSweepFromThePageRacesOnEveryChartAndTheTableSortsFiltersExportsAndLinks() throws Exception {
        try (TestServer server = TestServer.start(null)) {
            WebDriver a = alice.driver;
            a.manage().window().setSize(new Dimension(1366, 768));
            open(a, server.url());
            smallRun(a, "600", "300");
            new Select(a.findElement(By.name("sweepField"))).selectByValue("learningRate");
            type(a, "sweepValues", "0.01, 0.03, 0.1, 0.3");
            a.findElement(By.id("start-sweep")).click();
            waitFor(a, "four rows", d -> rows(d).size() == 4);
            waitFor(a, "every chart draws the four runs", d -> {
                for (String chart : CHARTS) {
                    if (runsOn(d, chart).size() != 4) {
                        return false;
                    }
                }
                return true;
            });
            @SuppressWarnings("unchecked")
            List<String> legend = (List<String>) js(a, "return Chart.getChart('chart-cost').data.datasets"
                    + ".filter((s) => !s.secondary && !s.raw).map((s) => s.label)");
            assertEquals(List.of("learningRate=0.01", "learningRate=0.03", "learningRate=0.1", "learningRate=0.3"), legend,
                    "legends by the hyperparameter that differs");
            assertEquals(Boolean.TRUE, js(a, "const colour = (c) => Object.fromEntries(Chart.getChart(c).data.datasets"
                    + ".map((s) => [s.runId, s.borderColor]));"
                    + " const one = colour('chart-cost'), two = colour('chart-gradients');"
                    + " return Object.keys(one).length === 4 && Object.keys(one).every((id) => one[id] === two[id])"
                    + " && new Set(Object.values(one)).size === 4"), "one colour per run, the same on every chart");
            waitFor(a, "all four finish", d -> column(d, "status").stream().allMatch("finished"::equals));
            // The charts are redrawn over a few frames (charts.js), so they line up a moment after the last point.
            waitFor(a, "x axes aligned", d -> Boolean.TRUE.equals(js(d, "const xs = ['chart-cost', 'chart-weights',"
                    + " 'chart-learning-rate'].map((c) => Chart.getChart(c).scales.x);"
                    + " return xs.every((x) => x.min === xs[0].min && x.max === xs[0].max)")));

            // Sort by final cost, both ways; an unknown value would go last.
            a.findElement(By.cssSelector("th[data-sort=cost]")).click();
            List<Double> up = numbers(column(a, "cost"));
            List<Double> sorted = new ArrayList<>(up);
            sorted.sort(null);
            assertEquals(sorted, up, "ascending by final cost");
            a.findElement(By.cssSelector("th[data-sort=cost]")).click();
            List<Double> down = numbers(column(a, "cost"));
            sorted.sort(java.util.Collections.reverseOrder());
            assertEquals(sorted, down, "then descending");

            // Filter by text, then by status.
            a.findElement(By.id("run-filter")).sendKeys("0.03");
            waitFor(a, "one row matches", d -> column(d, "name").equals(List.of("learningRate=0.03")));
            a.findElement(By.id("run-filter")).clear();
            js(a, "const f = document.getElementById('run-filter'); f.value = ''; f.dispatchEvent(new Event('input'))");
            new Select(a.findElement(By.id("run-status-filter"))).selectByValue("running");
            waitFor(a, "no row is running", d -> rows(d).isEmpty());
            new Select(a.findElement(By.id("run-status-filter"))).selectByValue("");
            waitFor(a, "four rows again", d -> rows(d).size() == 4);
            assertTrue((Boolean) js(a, "const w = document.getElementById('table-wrap'); return w.scrollHeight <= w.clientHeight"),
                    "the table shows every row without scrolling: not a small scroll box");

            // Untick one overlaid run: it leaves every chart; tick it again.
            String viewed = a.findElement(By.cssSelector("#runs tr.viewed")).getAttribute("data-id");
            String other = rows(a).stream().filter(id -> !id.equals(viewed)).findFirst().orElseThrow();
            a.findElement(By.cssSelector("#runs tr[data-id='" + other + "'] input.overlay")).click();
            waitFor(a, "the unticked run leaves the charts", d -> !runsOn(d, "chart-accuracy").contains(other)
                    && runsOn(d, "chart-accuracy").size() == 3);
            a.findElement(By.cssSelector("#runs tr[data-id='" + other + "'] input.overlay")).click();
            waitFor(a, "and comes back", d -> runsOn(d, "chart-accuracy").contains(other));

            // CSV: every row shown, with the headings.
            js(a, "window.csv = null; const make = URL.createObjectURL; URL.createObjectURL = (b) => {"
                    + " b.text().then((t) => { window.csv = t; }); return make(b); };");
            a.findElement(By.id("runs-csv")).click();
            waitFor(a, "the CSV is made", d -> js(d, "return window.csv") != null);
            String[] csv = ((String) js(a, "return window.csv")).split("\r?\n");
            assertEquals(5, csv.length, String.join("\n", csv));
            assertTrue(csv[0].startsWith("id,Name,Status,Layers,Dataset,LR") && csv[0].contains("Final cost"), csv[0]);

            // Smoothing: TensorBoard's debiased EMA over the raw curve, which stays drawn behind.
            js(a, "const s = document.getElementById('smoothing'); s.value = '0.6'; s.dispatchEvent(new Event('input'))");
            waitFor(a, "raw lines behind", d -> (Boolean) js(d, "return Chart.getChart('chart-cost').data.datasets.some((s) => s.raw)"));
            @SuppressWarnings("unchecked")
            List<List<Number>> pair = (List<List<Number>>) js(a, "const sets = Chart.getChart('chart-cost').data.datasets;"
                    + " const main = sets[0]; const raw = sets.find((s) => s.raw && s.runId === main.runId && s.label === main.label);"
                    + " const d = Chart.getChart('chart-cost');"
                    + " return [raw.data.slice(0, 60).map((p) => p.y), main.data.slice(0, 60).map((p) => p.y)]");
            double last = 0;
            for (int i = 0; i < pair.get(0).size(); i++) {
                last = last * 0.6 + 0.4 * pair.get(0).get(i).doubleValue();
                double expected = last / (1 - Math.pow(0.6, i + 1));
                assertEquals(expected, pair.get(1).get(i).doubleValue(), 1e-9, "smoothed point " + i);
            }
            assertFalse((Boolean) js(a, "return Chart.getChart('chart-learning-rate').data.datasets.some((s) => s.raw)"),
                    "the learning rate is not smoothed");

            // PNG of a chart, named after the run.
            js(a, "window.saved = null; HTMLAnchorElement.prototype.click = function () {"
                    + " window.saved = [this.download, this.href.slice(0, 22)]; };");
            a.findElement(By.id("cost-png")).click();
            @SuppressWarnings("unchecked")
            List<String> saved = (List<String>) js(a, "return window.saved");
            String viewedName = a.findElement(By.cssSelector("#runs tr.viewed td[data-col=name]")).getText();
            assertEquals(viewedName.replaceAll("[^A-Za-z0-9._-]+", "-") + "-cost.png", saved.get(0));
            assertEquals("data:image/png;base64,", saved.get(1));

            // Zoom, then the view as a link: another page opened on it shows the same.
            js(a, "document.getElementById('x-axis').value = 'iteration'");
            a.findElement(By.cssSelector("#gradients-log")).click();
            String link = a.getCurrentUrl();
            assertTrue(link.contains("smooth=0.6") && link.contains("overlay=") && link.contains("run=" + viewed), link);
            WebDriver b = bob.driver;
            b.manage().window().setSize(new Dimension(1366, 768));
            open(b, link);
            waitFor(b, "the linked view", d -> viewed.equals(d.findElement(By.cssSelector("#runs tr.viewed")).getAttribute("data-id"))
                    && runsOn(d, "chart-cost").size() == 4);
            assertEquals("0.6", b.findElement(By.id("smoothing")).getAttribute("value"));
            assertFalse(b.findElement(By.id("gradients-log")).isSelected(), "the log toggle as in the link");
            assertEquals(3L, js(b, "return document.querySelectorAll('#runs input.overlay:checked').length"));
        }
    }

    private static List<Double> numbers(List<String> texts) {
        return texts.stream().map(Double::parseDouble).toList();
    }

    @Test
    void everyFieldIsCheckedAndItsErrorNamesWhatWasTyped() throws Exception {
        try (TestServer server = TestServer.start(null)) {
            WebDriver a = alice.driver;
            a.manage().window().setSize(new Dimension(1366, 768));
            open(a, server.url());
            Map<String, String> typed = new java.util.LinkedHashMap<>();
            typed.put("pace", "-5");
            typed.put("noise", "lots");
            typed.put("seed", "1.5");
            typed.put("validationSplit", "1");
            typed.put("samples", "-3");
            for (Map.Entry<String, String> field : typed.entrySet()) {
                smallRun(a, "100", "0");
                type(a, "learningRate", "0.1");
                type(a, "seed", "1");
                type(a, "noise", "0.1");
                type(a, field.getKey(), field.getValue());
                a.findElement(By.id("start")).click();
                String error = a.findElement(By.cssSelector("output[data-for=" + field.getKey() + "]")).getText();
                assertTrue(error.contains("“" + field.getValue() + "”"), field + " -> " + error);
            }
            for (String field : List.of("learningRate", "iterations", "samples", "pace", "seed", "validationSplit", "noise")) {
                smallRun(a, "100", "0");
                type(a, "learningRate", "0.1");
                type(a, field, "");
                a.findElement(By.id("start")).click();
                String error = a.findElement(By.cssSelector("output[data-for=" + field + "]")).getText();
                assertTrue(error.contains("is empty"), field + " emptied -> " + error);
            }
            smallRun(a, "100", "0");
            type(a, "noise", "0.1");
            type(a, "seed", "1");
            type(a, "sweepValues", "0.1, fast");
            type(a, "learningRate", "0.1");
            a.findElement(By.id("start-sweep")).click();
            String sweepError = a.findElement(By.cssSelector("output[data-for=sweepValues]")).getText();
            assertTrue(sweepError.contains("“fast”"), sweepError);
            Thread.sleep(500);
            assertEquals(0, new JsonArray(Pages.send("GET", server.url() + "api/runs", null)).size(), "nothing started");
            type(a, "sweepValues", "0.1, 0.2");
            assertEquals("", a.findElement(By.cssSelector("output[data-for=sweepValues]")).getText(), "cleared on typing");
        }
    }

    @Test
    void errorsGoWhenTheirConditionDoesAndTheFormAndNamesFollowTheRunShown() throws Exception {
        try (TestServer server = TestServer.start(null, c -> c.withSlots(1, 0))) {
            WebDriver a = alice.driver;
            a.manage().window().setSize(new Dimension(1366, 768));
            open(a, server.url());
            smallRun(a, "1000000", "50");
            type(a, "learningRate", "0.07");
            a.findElement(By.id("start")).click();
            waitFor(a, "it runs", d -> "running".equals(d.findElement(By.id("run-state")).getAttribute("data-state")));
            String first = a.findElement(By.cssSelector("#runs tr.viewed")).getAttribute("data-id");
            a.findElement(By.id("start")).click();
            waitFor(a, "the running limit is said", d -> d.findElement(By.id("form-error")).getText().contains("at most 1 run"));
            a.findElement(By.id("stop")).click();
            waitFor(a, "the error goes once the run stopped", d -> d.findElement(By.id("form-error")).getText().isEmpty());

            // A second page shows the spec of the run on screen, not the defaults.
            WebDriver b = bob.driver;
            b.manage().window().setSize(new Dimension(1366, 768));
            open(b, server.url());
            waitFor(b, "the viewed run's spec in the form", d -> "0.07".equals(d.findElement(By.name("learningRate")).getAttribute("value"))
                    && "2,8,1".equals(d.findElement(By.name("layers")).getAttribute("value")));

            // Renamed: its name, not its id, in the badge, the file names and an overlay's legend.
            Pages.send("PATCH", server.url() + "api/runs/" + first, "{\"name\": \"baseline\"}");
            waitFor(a, "the badge names it", d -> d.findElement(By.id("run-state")).getText().startsWith("baseline"));
            assertEquals("baseline-metrics.csv", a.findElement(By.id("download-csv")).getAttribute("download"));
            smallRun(a, "1000000", "50");
            a.findElement(By.id("start")).click();
            waitFor(a, "a second run shown", d -> !first.equals(d.findElement(By.cssSelector("#runs tr.viewed")).getAttribute("data-id")));
            a.findElement(By.cssSelector("#runs tr[data-id='" + first + "'] input.overlay")).click();
            waitFor(a, "the overlay's legend is its name", d -> (Boolean) js(d, "return Chart.getChart('chart-cost').data.datasets"
                    + ".some((s) => s.label === 'baseline' && s.runId === arguments[0])", first));

            // Log axes: labels written alike and enough of them.
            a.findElement(By.id("weights-log")).click();
            waitFor(a, "weight ticks", d -> labels(d, "chart-weights").size() >= 2);
            List<String> gradients = labels(a, "chart-gradients");
            assertTrue(gradients.size() >= 2, "gradient ticks: " + gradients);
            long exponents = gradients.stream().filter(t -> t.contains("e")).count();
            assertTrue(exponents == 0 || exponents == gradients.size(), "one notation on an axis: " + gradients);
            a.findElement(By.id("stop")).click();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> labels(WebDriver d, String chart) {
        return (List<String>) js(d, "return Chart.getChart(arguments[0]).scales.y.ticks.map((t) => t.label)"
                + ".filter((l) => l !== '' && l !== undefined && l !== null)", chart);
    }

    @Test
    void onAPhoneThePageFitsAndAnInterruptedRunSaysWhy(@TempDir Path data) throws Exception {
        String id;
        try (TestServer first = TestServer.start(null, data)) {
            id = new JsonObject(post(first.url() + "api/runs", "{\"layers\": [2, 4, 1], \"learningRate\": 0.5,"
                    + " \"iterations\": 1000000, \"pace\": 50, \"dataset\": {\"name\": \"xor\"}}")).getString("id");
            Thread.sleep(500);
        }
        try (TestServer second = TestServer.start(null, data)) {
            WebDriver a = alice.driver;
            a.manage().window().setSize(new Dimension(390, 844));
            open(a, second.url());
            waitFor(a, "the reason shows on the page", d -> d.findElement(By.id("run-reason")).isDisplayed()
                    && d.findElement(By.id("run-reason")).getText().startsWith("Interrupted: the server stopped"));
            assertEquals(id, a.findElement(By.cssSelector("#runs tr.viewed")).getAttribute("data-id"));
            @SuppressWarnings("unchecked")
            List<Number> widths = (List<Number>) js(a, "return [document.documentElement.scrollWidth,"
                    + " document.documentElement.clientWidth, document.querySelector('header').getBoundingClientRect().width,"
                    + " document.getElementById('chart-cost').getBoundingClientRect().right]");
            assertTrue(widths.get(0).intValue() <= widths.get(1).intValue(), "no horizontal scroll at 390 px: " + widths);
            assertEquals(widths.get(1).doubleValue(), widths.get(2).doubleValue(), 1, "the header is as wide as the page");
            assertTrue(widths.get(3).doubleValue() <= widths.get(1).doubleValue(), "the charts fit: " + widths);
            a.manage().window().setSize(new Dimension(1366, 768));
        }
    }
}
