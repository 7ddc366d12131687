package dev.anonymoususers.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A web app's origin on loopback for the library in Chromium: the library's source under /lib/, the test's
 * operations under /ops/, and a page that loads both at /.
 */
final class LibraryPage implements AutoCloseable {

    private final HttpServer server;

    LibraryPage() {
        Path library = ClientLibrary.SOURCE_ENTRY.getParent().toAbsolutePath().normalize();
        Path scripts = ClientLibrary.TEST_SCRIPTS.toAbsolutePath().normalize();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/lib/", exchange -> serve(exchange, library, "/lib/"));
        server.createContext("/ops/", exchange -> serve(exchange, scripts, "/ops/"));
        server.createContext("/", exchange -> send(exchange, scripts.resolve("client-library-page.html"), "text/html; charset=utf-8"));
        server.start();
    }

    /** The page's origin, e.g. {@code http://127.0.0.1:40123}. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String url() {
        return origin() + "/";
    }

    private static void serve(HttpExchange exchange, Path root, String prefix) throws IOException {
        Path file = root.resolve(exchange.getRequestURI().getPath().substring(prefix.length())).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        send(exchange, file, "text/javascript");
    }

    private static void send(HttpExchange exchange, Path file, String type) throws IOException {
        byte[] body = Files.readAllBytes(file);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
