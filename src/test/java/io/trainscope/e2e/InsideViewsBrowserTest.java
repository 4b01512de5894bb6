package io.trainscope.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inside the network, in a real (headless) Chromium: the decision boundary and the network view render and
 * change while a run trains (their canvases' pixels compared at two moments), the histograms show more than one
 * snapshot after a reload (what the run kept), and the gradient check answers beside the run.
 */
@Tag("browser")
@Timeout(120)
class InsideViewsBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The canvas's pixels as a PNG data URL, and how many of them are not blank. */
    private static String pixels(ChromeDriver driver, String id) {
        return (String) ((JavascriptExecutor) driver).executeScript("return document.getElementById(arguments[0]).toDataURL();", id);
    }

    private static long inked(ChromeDriver driver, String id) {
        return (Long) ((JavascriptExecutor) driver).executeScript(
                "const c = document.getElementById(arguments[0]);"
                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] < 720) n++; }"
                        + "return n;", id);
    }

    private static String data(ChromeDriver driver, String id, String key) {
        String value = driver.findElement(By.id(id)).getDomAttribute("data-" + key);
        return value == null ? "" : value;
    }

    private static void showInside(ChromeDriver driver) {
        driver.executeScript("document.getElementById('inside').scrollIntoView()");
    }

    @Test
    void theBoundaryAndTheNetworkChangeAsTheRunTrainsAndHistogramsOutliveAReload(@TempDir Path data) throws Exception {
        try (TestServer server = TestServer.start(null, data); Browser browser = Browser.open()) {
            ChromeDriver driver = browser.driver;
            driver.manage().window().setSize(new Dimension(1366, 768));
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            driver.get(server.url());
            wait.until(d -> d.findElement(By.id("connection")).getText().contains("connected"));
            driver.findElement(By.name("pace")).clear();
            driver.findElement(By.name("pace")).sendKeys("400");
            driver.findElement(By.id("start")).click();

            // Under the charts at 1366 px, the views are drawn once they are scrolled into sight, not before.
            wait.until(d -> !data(driver, "chart-cost", "points").isEmpty() && Long.parseLong(data(driver, "chart-cost", "points")) > 0);
            Thread.sleep(1000);
            assertEquals("", data(driver, "boundary", "iteration"), "a view off screen is not drawn");
            showInside(driver);
            wait.until(d -> !data(driver, "boundary", "iteration").isEmpty() && !data(driver, "network", "iteration").isEmpty());
            String boundaryIteration = data(driver, "boundary", "iteration");
            String networkIteration = data(driver, "network", "iteration");
            String boundary = pixels(driver, "boundary");
            String network = pixels(driver, "network");
            assertTrue(inked(driver, "boundary") > 1000, "the boundary is drawn");
            assertTrue(inked(driver, "network") > 200, "the network is drawn");
            wait.until(d -> !data(driver, "boundary", "iteration").equals(boundaryIteration)
                    && !data(driver, "network", "iteration").equals(networkIteration));
            wait.until(d -> !pixels(driver, "boundary").equals(boundary) && !pixels(driver, "network").equals(network));
            assertTrue(Long.parseLong(data(driver, "boundary", "iteration")) > Long.parseLong(boundaryIteration));

            // The two per-iteration charts of what happens inside draw the run too (each one chartlist entry).
            for (String chart : new String[] {"chart-update-ratios", "chart-dead-fractions"}) {
                wait.until(d -> !data(driver, chart, "points").isEmpty() && Long.parseLong(data(driver, chart, "points")) > 0);
            }

            driver.findElement(By.id("gradient-check")).click();
            wait.until(d -> "good".equals(data(driver, "gradient-result", "state")));
            assertTrue(driver.findElement(By.id("gradient-result")).getText().contains("max relative error"));

            // A late viewer (the page reloaded) gets the histograms the run kept, not only the next one.
            wait.until(d -> Long.parseLong(data(driver, "boundary", "iteration")) > 1500);
            driver.navigate().refresh();
            wait.until(d -> d.findElement(By.id("connection")).getText().contains("connected"));
            showInside(driver);
            wait.until(d -> {
                String n = data(driver, "histograms", "snapshots");
                return !n.isEmpty() && Integer.parseInt(n) > 1;
            });
            assertTrue(inked(driver, "histograms") > 100, "the histograms are drawn");
            String before = pixels(driver, "histograms");
            driver.findElement(By.cssSelector("#hist-kind option[value=activations]")).click();
            wait.until(d -> !pixels(driver, "histograms").equals(before));
            assertEquals("activations", driver.findElement(By.id("hist-kind")).getDomProperty("value"));
            assertNotEquals("", data(driver, "boundary", "iteration"), "the boundary again after the reload");
        }
    }
}
