package com.orgkeys.bootstrap.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
        this(origin, null);
    }

    /** {@code userAgent}: the User-Agent this browser sends instead of its own (e.g. a phone's), or null. */
    public Browser(String origin, String userAgent) {
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
        if (userAgent != null) options.addArguments("--user-agent=" + userAgent);
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
        WebElement found = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
        checkNewPage();
        return found;
    }

    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    public void click(String css) {
        WebElement target = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
        checkNewPage();
        target.click();
    }

    /**
     * Every dashboard page a test works on is {@link #check checked} once, the first time the test finds or clicks
     * something on it (then it has loaded): screenshots named after its path, {@code page-settings-api-keys-390.png}.
     * Pages that are not the dashboard's (the API reference's Swagger UI, a test's own data: page) are left alone.
     */
    private void checkNewPage() {
        if (checking) return;
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState;")));
        Object fresh = ((JavascriptExecutor) driver).executeScript("if (window.__orgkeysChecked) return false;"
                + "window.__orgkeysChecked = true; return !!document.querySelector('link[href=\"/static/app.css\"]');");
        if (!Boolean.TRUE.equals(fresh)) return;
        String path = path();
        int query = path.indexOf('?');
        String name = (query < 0 ? path : path.substring(0, query))
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "id")
                .replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
        check("page-" + (name.isEmpty() ? "start" : name));
    }

    private boolean checking;

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
        checkNewPage();
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

    /** axe-core's script, installed by {@code ./orgkeys test} (npm ci in bootstrap/axe) from the committed lock file. */
    static final Path AXE = Path.of(System.getProperty("orgkeys.axe", "axe/node_modules/axe-core/axe.min.js"));
    /** The rules checked: WCAG 2.0–2.2 A and AA, and axe's best practices (unique landmarks, empty headers…). */
    private static final String AXE_RUN = """
            var done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
                                resultTypes: ['violations'] })
              .then(function (r) {
                done(r.violations.map(function (v) {
                  return v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map(function (n) {
                    return n.target.join(' ');
                  }).join(', ');
                }));
              }, function (e) { done(['axe failed: ' + e]); });
            """;
    private static String axeSource;

    /** The widths every page is checked at: a laptop and a phone (an iPhone 12 to 15's CSS viewport). */
    public enum Width {
        DESKTOP(1280, 900, false), PHONE(390, 844, true), NARROWEST(360, 740, true);
        final int width, height;
        final boolean mobile;

        Width(int width, int height, boolean mobile) {
            this.width = width;
            this.height = height;
            this.mobile = mobile;
        }
    }

    /**
     * The page as it is now, at 1280 and 390 px wide: no axe-core violation, no sideways scrolling of the page at
     * 390 (nor at 360) px, and a screenshot {@code name-1280.png} / {@code name-390.png} under target/screenshots.
     * The page is left at the width the test works at ({@link #workAt}: the desktop's unless a test chose another).
     */
    public void check(String name) {
        checking = true;
        try {
            for (Width w : List.of(Width.DESKTOP, Width.PHONE)) {
                viewport(w);
                List<String> violations = axe();
                if (!violations.isEmpty()) {
                    screenshot(name + "-" + w.width);
                    throw new AssertionError("axe-core found " + violations.size() + " violation(s) on " + path()
                            + " (" + name + ") at " + w.width + " px:\n  " + String.join("\n  ", violations));
                }
                if (w == Width.PHONE) assertNoSidewaysScroll(name, w);
                screenshot(name + "-" + w.width);
            }
            // the narrowest phones in use: no sideways scrolling either (axe's verdicts do not change with 30 px)
            viewport(Width.NARROWEST);
            assertNoSidewaysScroll(name, Width.NARROWEST);
        } finally {
            viewport(workingWidth);
            checking = false;
        }
    }

    /**
     * Its requests say they come from {@code address} through the (trusted, loopback) proxy, as each API test's user
     * does: per-address limits, such as 20 sign-ups at once, then count this browser's requests apart.
     */
    public void comeFrom(String address) {
        ((ChromeDriver) driver).executeCdpCommand("Network.enable", java.util.Map.of());
        ((ChromeDriver) driver).executeCdpCommand("Network.setExtraHTTPHeaders",
                java.util.Map.of("headers", java.util.Map.of("X-Forwarded-For", address)));
    }

    private Width workingWidth = Width.DESKTOP;

    /** Works at {@code w} from now on, as someone on that device would: every check comes back to it. */
    public void workAt(Width w) {
        workingWidth = w;
        viewport(w);
    }

    /** Sets the page's viewport (CSS pixels, device scale 1), as a phone would with the page's meta viewport. */
    public void viewport(Width w) {
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride", java.util.Map.of(
                "width", w.width, "height", w.height, "deviceScaleFactor", 1, "mobile", w.mobile));
        // the layout at the new size is done once a frame has been drawn
        ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1]; requestAnimationFrame(function () { requestAnimationFrame(done); });");
    }

    /** Emulates {@code prefers-color-scheme: dark} or {@code light} for the pages that follow. */
    public void colorScheme(String scheme) {
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of(
                "features", List.of(java.util.Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** The axe-core violations on the page as it is (rule id, impact, help and the failing elements' selectors). */
    @SuppressWarnings("unchecked")
    public List<String> axe() {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        // WebDriver's scripts are not subject to the page's Content-Security-Policy: the page needs no exception
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object';"))) js.executeScript(axeSource());
        return (List<String>) js.executeAsyncScript(AXE_RUN);
    }

    private static synchronized String axeSource() {
        if (axeSource == null) {
            if (!Files.isRegularFile(AXE)) {
                IllegalStateException missing = new IllegalStateException("browser tests need axe-core at "
                        + AXE.toAbsolutePath() + ": ./orgkeys test installs it (or: npm ci --prefix bootstrap/axe)");
                missing.setStackTrace(new StackTraceElement[0]);
                throw missing;
            }
            try {
                axeSource = Files.readString(AXE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axeSource;
    }

    private void assertNoSidewaysScroll(String name, Width w) {
        @SuppressWarnings("unchecked")
        List<Object> widths = (List<Object>) ((JavascriptExecutor) driver).executeScript(
                "var e = document.documentElement; var wide = [];"
                        + "function clipped(el) { for (var p = el.parentElement; p && p !== document.body; p = p.parentElement)"
                        + "  if (getComputedStyle(p).overflowX !== 'visible') return true; return false; }"
                        // the deepest first: elements that stick out, or whose text does (a long unbroken word)
                        + "Array.prototype.slice.call(document.querySelectorAll('body *')).reverse().forEach(function (el) {"
                        + "  var r = el.getBoundingClientRect(), right = Math.max(r.right, r.left + el.scrollWidth);"
                        + "  if (right > e.clientWidth + 1 && wide.length < 5 && !clipped(el))"
                        + "    wide.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')) + ' ' + Math.round(right)); });"
                        + "return [e.scrollWidth, e.clientWidth, wide.join(', ')];");
        long scrollWidth = ((Number) widths.get(0)).longValue(), clientWidth = ((Number) widths.get(1)).longValue();
        if (scrollWidth > clientWidth) {
            screenshot(name + "-" + w.width);
            throw new AssertionError(path() + " (" + name + ") scrolls sideways at " + w.width + " px: scrollWidth " + scrollWidth
                    + " > clientWidth " + clientWidth + "; wider elements: " + widths.get(2));
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
