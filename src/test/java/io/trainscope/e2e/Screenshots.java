package io.trainscope.e2e;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Screenshots of a running server's page, to look at what the page looks like (house rule): at 1366×768 and at a
 * phone's 390×844, after waiting a few seconds for the charts. Prints the page's console errors and its width.
 *
 * <p>{@code java -cp target/trainscope.jar:target/test-classes:$(cat target/test-classpath) io.trainscope.e2e.Screenshots URL OUT-PREFIX [wait-ms [css-selector-to-scroll-to]]}
 */
public final class Screenshots {

    private Screenshots() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String out = args[1];
        long wait = args.length > 2 ? Long.parseLong(args[2]) : 4000;
        try (Browser browser = Browser.open()) {
            for (int[] size : new int[][] {{1366, 768}, {390, 844}}) {
                browser.driver.manage().window().setSize(new Dimension(size[0], size[1]));
                browser.driver.get(url);
                Thread.sleep(wait);
                if (args.length > 3) {
                    browser.driver.executeScript("document.querySelector(arguments[0]).scrollIntoView()", args[3]);
                    Thread.sleep(300);
                }
                Path shot = browser.driver.getScreenshotAs(OutputType.FILE).toPath();
                Path to = Path.of(out + "-" + size[0] + ".png");
                Files.copy(shot, to, StandardCopyOption.REPLACE_EXISTING);
                Object width = browser.driver.executeScript("return [document.documentElement.scrollWidth,"
                        + " document.documentElement.clientWidth, document.querySelector('header').getBoundingClientRect().width]");
                System.out.println(to + ": scrollWidth, clientWidth, header width = " + width);
                for (LogEntry entry : browser.driver.manage().logs().get(LogType.BROWSER)) {
                    System.out.println("  console: " + entry.getMessage());
                }
            }
        }
    }
}
