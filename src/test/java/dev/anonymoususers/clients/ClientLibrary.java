package dev.anonymoususers.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The client library (clients/js) driven by a test, one named operation at a time (src/test/js/client-library-ops.mjs):
 * in Node.js, or in Chromium as a web app loads it.
 */
abstract class ClientLibrary implements AutoCloseable {

    /** The library's folder (clients/js), and the module a web app or a Node.js app imports from its source. */
    static final Path LIBRARY = Path.of(System.getProperty("clients.dir", "clients/js"));
    static final Path SOURCE_ENTRY = LIBRARY.resolve("src/index.js");
    static final Path TEST_SCRIPTS = Path.of("src", "test", "js");

    /** Runs one operation and answers {ok, result} or {ok: false, error}. */
    abstract JsonNode answer(String op, Map<String, ?> args);

    /** Runs one operation that must succeed: its result. */
    JsonNode call(String op, Map<String, ?> args) {
        JsonNode answer = answer(op, args);
        assertThat(answer.path("ok").asBoolean()).as(op + " " + args + " answered " + answer).isTrue();
        return answer.get("result");
    }

    /** Runs one operation that must fail with the library's error: that error (reason, status, error, …). */
    JsonNode failing(String op, Map<String, ?> args) {
        JsonNode answer = answer(op, args);
        assertThat(answer.path("ok").asBoolean()).as(op + " " + args + " should fail but answered " + answer).isFalse();
        assertThat(answer.at("/error/name").asText()).as(answer.toString()).isEqualTo("AnonymousUsersError");
        return answer.get("error");
    }

    /** The library in Node.js: client-library-driver.mjs with the given entry module. */
    static ClientLibrary inNode(Path entry) {
        return new InNode(entry);
    }

    /** The library in Chromium, on a page served by {@code page} (which must stay up). */
    static ClientLibrary inChromium(Browser browser, LibraryPage page) {
        return new InChromium(browser, page);
    }

    private static final class InNode extends ClientLibrary {
        private final Process process;
        private final Writer in;
        private final BufferedReader out;
        private final Path log;

        InNode(Path entry) {
            try {
                log = Files.createTempFile("client-library-node", ".log");
                process = new ProcessBuilder(List.of("node", TEST_SCRIPTS.resolve("client-library-driver.mjs").toString(),
                        entry.toAbsolutePath().toString())).redirectError(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        synchronized JsonNode answer(String op, Map<String, ?> args) {
            try {
                in.write(AdminApi.JSON.writeValueAsString(Map.of("op", op, "args", args)) + "\n");
                in.flush();
                String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).get(90, TimeUnit.SECONDS);
                if (line == null) {
                    throw new AssertionError("The Node.js driver ended: " + Files.readString(log));
                }
                return AdminApi.read(line);
            } catch (Exception e) {
                throw new AssertionError(op + " did not answer", e);
            }
        }

        @Override
        public void close() throws IOException {
            process.destroy();
            Files.deleteIfExists(log);
        }
    }

    private static final class InChromium extends ClientLibrary {
        private final Browser browser;

        InChromium(Browser browser, LibraryPage page) {
            this.browser = browser;
            browser.open(page.url());
            browser.await(By.id("ready"));
        }

        @Override
        JsonNode answer(String op, Map<String, ?> args) {
            try {
                browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(90));
                Object answered = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + "window.callLibrary(arguments[0], JSON.parse(arguments[1])).then((a) => done(JSON.stringify(a)),"
                                + " (e) => done(JSON.stringify({ ok: false, error: { name: 'Error', message: String(e) } })));",
                        op, AdminApi.JSON.writeValueAsString(args));
                return AdminApi.read((String) answered);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            // the browser belongs to the test
        }
    }
}
