package com.orgkeys.bootstrap.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A headless Chromium driven through the system's chromedriver: explicit binaries, so that Selenium never
 * downloads anything, and a fresh profile directory per browser.
 */
public final class Browser implements AutoCloseable {
    static final String CHROMIUM = System.getProperty("orgkeys.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("orgkeys.chromedriver", "/usr/bin/chromedriver");

    public final WebDriver driver;
    public final WebDriverWait wait;
    private final Path profile;
    private final String origin;

    public Browser(String origin) {
        requireInstalled(CHROMIUM, CHROMEDRIVER);
        this.origin = origin;
        try {
            profile = Files.createTempDirectory("orgkeys-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    }

    /**
     * Fails (never skips: the dashboard must not pass untested) with one line naming the packages to install, where
     * Selenium would end in a long stack of WebDriver internals. No stack trace: the message is the whole story.
     */
    static void requireInstalled(String chromium, String chromedriver) {
        List<String> missing = Stream.of(chromium, chromedriver).filter(p -> !Files.isExecutable(Path.of(p))).toList();
        if (missing.isEmpty()) return;
        IllegalStateException notInstalled = new IllegalStateException("browser tests need Debian's chromium and "
                + "chromium-driver (missing: " + String.join(", ", missing) + "): apt-get install chromium chromium-driver");
        notInstalled.setStackTrace(new StackTraceElement[0]);
        throw notInstalled;
    }

    public void open(String path) {
        driver.get(path.startsWith("http") ? path : origin + path);
    }

    public WebElement find(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    public void click(String css) {
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    public void waitForPath(String path) {
        wait.until(d -> {
            String url = d.getCurrentUrl();
            String rest = url.substring(url.indexOf('/', url.indexOf("//") + 2));
            return rest.equals(path) || rest.startsWith(path + "?");
        });
    }

    public void waitForText(String css, String text) {
        var present = ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text);
        wait.until(d -> {
            try {
                return present.apply(d);
            } catch (org.openqa.selenium.WebDriverException e) {
                // the page was replaced between finding the element and reading it (a navigation in flight)
                if (String.valueOf(e.getMessage()).contains("does not belong to the document")) return false;
                throw e;
            }
        });
    }

    public String path() {
        String url = driver.getCurrentUrl();
        return url.substring(url.indexOf('/', url.indexOf("//") + 2));
    }

    void acceptConfirm() {
        wait.until(ExpectedConditions.alertIsPresent()).accept();
    }

    /** Saves a screenshot under target/screenshots, for a look at the pages (and for CI artifacts). */
    public void screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            // as bytes: OutputType.FILE leaves a screenshot*.png in the temp folder for every shot
            Files.write(dir.resolve(name + ".png"), ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
