import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The demo web app: static pages, keycloak-js served locally, and a tiny API that stores one preference per
 * account, keyed by the token's sub. It uses only the JDK, so `java demo/DemoServer.java` runs it.
 *
 * Arguments: [port] [keycloak base url] [data dir]; defaults 3000, http://localhost:8080, target/demo.
 */
public class DemoServer {

    // keycloak-js from the npm registry, fetched with npm itself (so a configured mirror is honoured) and
    // checked against the integrity the registry publishes for this version.
    static final String KEYCLOAK_JS_VERSION = "26.2.4";
    static final String KEYCLOAK_JS_INTEGRITY = "sha512-PnXpR3ubETGOt0B/Qt2lxmPbkZr5bc3vlQsOqDoTPPQsZRp7JjhTKxlJ187uWh8qJhvBab6Gsjb06a8ayOPfuw==";

    static final Pattern SUB = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        String keycloak = args.length > 1 ? args[1] : "http://localhost:8080";
        Path data = Path.of(args.length > 2 ? args[2] : "target/demo");
        Path app = Files.isDirectory(Path.of("demo/app")) ? Path.of("demo/app") : Path.of("app");
        // The device-key module is the one in examples/, which an app copies as it is; the demo serves it from there.
        Path deviceKeyModule = (Files.isDirectory(Path.of("examples")) ? Path.of("examples") : Path.of("../examples"))
                .resolve("device-key.js");
        Files.createDirectories(data);
        byte[] keycloakJs = keycloakJs(data);
        Preferences preferences = new Preferences(data.resolve("preferences.properties"));

        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        server.createContext("/vendor/keycloak-js/keycloak.js", exchange -> send(exchange, 200, "text/javascript", keycloakJs));
        server.createContext("/device-key.js", exchange -> send(exchange, 200, "text/javascript", Files.readAllBytes(deviceKeyModule)));
        server.createContext("/config.json", exchange -> send(exchange, 200, "application/json",
                ("{\"url\":\"" + keycloak + "\",\"realm\":\"demo\",\"clientId\":\"demo-app\"}").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/api/preference", exchange -> preference(exchange, keycloak, preferences));
        server.createContext("/", exchange -> file(exchange, app.toAbsolutePath().normalize()));
        server.start();
        System.out.println("Demo app on http://localhost:" + port + " (Keycloak at " + keycloak + ", realm demo)");
    }

    /** GET returns the caller's preference; PUT stores it. The caller is who Keycloak's userinfo says. */
    static void preference(HttpExchange exchange, String keycloak, Preferences preferences) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String sub = authorization == null ? null : subject(keycloak, authorization);
        if (sub == null) {
            send(exchange, 401, "application/json", "{\"error\":\"sign in first\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if ("PUT".equals(exchange.getRequestMethod())) {
            String value = new String(exchange.getRequestBody().readNBytes(1000), StandardCharsets.UTF_8).trim();
            preferences.put(sub, value);
        }
        String value = preferences.get(sub);
        String json = "{\"sub\":\"" + sub + "\",\"preference\":" + (value == null ? "null" : "\"" + escape(value) + "\"") + "}";
        send(exchange, 200, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static String subject(String keycloak, String authorization) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak + "/realms/demo/protocol/openid-connect/userinfo"))
                    .header("Authorization", authorization).GET().build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            Matcher matcher = SUB.matcher(response.body());
            return matcher.find() ? matcher.group(1) : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    static void file(HttpExchange exchange, Path root) throws IOException {
        String path = URI.create(exchange.getRequestURI().toString()).getPath();
        Path file = root.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            file = root.resolve("index.html"); // the app handles its own routes, e.g. the OIDC callback
        }
        String name = file.getFileName().toString();
        String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html; charset=utf-8";
        send(exchange, 200, type, Files.readAllBytes(file));
    }

    static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ");
    }

    /** keycloak.js from the npm tarball, downloaded once into the data dir. */
    static byte[] keycloakJs(Path data) throws Exception {
        Path tarball = data.resolve("keycloak-js-" + KEYCLOAK_JS_VERSION + ".tgz");
        if (!Files.exists(tarball)) {
            System.out.println("Fetching keycloak-js " + KEYCLOAK_JS_VERSION + " from the npm registry");
            Process npm;
            try {
                npm = new ProcessBuilder("npm", "pack", "keycloak-js@" + KEYCLOAK_JS_VERSION,
                        "--pack-destination", data.toAbsolutePath().toString(), "--silent")
                        .inheritIO().start();
            } catch (IOException e) {
                throw new IOException("The demo fetches keycloak-js with npm, which was not found: install Node.js and npm", e);
            }
            if (npm.waitFor() != 0 || !Files.exists(tarball)) {
                throw new IOException("npm pack keycloak-js@" + KEYCLOAK_JS_VERSION + " failed");
            }
        }
        byte[] bytes = Files.readAllBytes(tarball);
        String integrity = "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
        if (!integrity.equals(KEYCLOAK_JS_INTEGRITY)) {
            Files.delete(tarball);
            throw new IOException("keycloak-js tarball does not match its published integrity; deleted it, try again");
        }
        return untar(new GZIPInputStream(new ByteArrayInputStream(bytes)), "package/lib/keycloak.js");
    }

    /** Reads one file out of a tar stream (the ustar layout npm uses). */
    static byte[] untar(InputStream in, String wanted) throws IOException {
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String name = new String(header, 0, 100, StandardCharsets.US_ASCII).split("\0", 2)[0];
            String prefix = new String(header, 345, 155, StandardCharsets.US_ASCII).split("\0", 2)[0];
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (name.equals(wanted)) {
                return content;
            }
        }
        throw new IOException(wanted + " not found in the keycloak-js tarball");
    }

    /** One preference per sub, kept in a properties file so it outlives a restart of the demo. */
    static final class Preferences {
        private final Path file;
        private final Map<String, String> values = new ConcurrentHashMap<>();

        Preferences(Path file) throws IOException {
            this.file = file;
            if (Files.exists(file)) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                }
                properties.forEach((k, v) -> values.put((String) k, (String) v));
            }
        }

        String get(String sub) {
            return values.get(sub);
        }

        synchronized void put(String sub, String value) throws IOException {
            values.put(sub, value);
            Properties properties = new Properties();
            properties.putAll(values);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            properties.store(out, "demo preferences by sub");
            Files.write(file, out.toByteArray());
        }
    }
}
