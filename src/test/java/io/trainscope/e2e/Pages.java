package io.trainscope.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** What the browser tests of the runs table do to a page: open it, type, wait, read charts and rows, call REST. */
final class Pages {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Pages() {
    }

    static void open(WebDriver d, String url) {
        d.get(url);
        waitFor(d, "the page connects", x -> "connected".equals(x.findElement(By.id("connection")).getAttribute("data-state")));
    }

    static void type(WebDriver d, String field, String value) {
        WebElement input = d.findElement(By.name(field));
        input.clear();
        if (!value.isEmpty()) {
            input.sendKeys(value);
        }
    }

    static void waitFor(WebDriver d, String what, Function<WebDriver, Boolean> condition) {
        waitFor(d, what, WAIT, condition);
    }

    static void waitFor(WebDriver d, String what, Duration wait, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(d, wait, Duration.ofMillis(100)).withMessage(what).until(condition::apply);
    }

    static Object js(WebDriver d, String script, Object... args) {
        return ((JavascriptExecutor) d).executeScript(script, args);
    }

    /** The ids of the table's rows, top to bottom. */
    @SuppressWarnings("unchecked")
    static List<String> rows(WebDriver d) {
        return (List<String>) js(d, "return [...document.querySelectorAll('#runs tr[data-id]')].map((r) => r.dataset.id)");
    }

    /** One column's texts, top to bottom. */
    @SuppressWarnings("unchecked")
    static List<String> column(WebDriver d, String col) {
        return (List<String>) js(d, "return [...document.querySelectorAll('#runs td[data-col=\"' + arguments[0] + '\"]')]"
                + ".map((c) => c.textContent)", col);
    }

    /** The distinct runs a chart draws lines of. */
    @SuppressWarnings("unchecked")
    static List<String> runsOn(WebDriver d, String chart) {
        return (List<String>) js(d, "return [...new Set(Chart.getChart(arguments[0]).data.datasets"
                + ".map((s) => s.runId).filter(Boolean))]", chart);
    }

    static String post(String url, String body) throws Exception {
        return send("POST", url, body);
    }

    static String send(String method, String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + url + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
