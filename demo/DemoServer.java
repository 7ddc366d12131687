import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.AccessTokenValidationException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InMemoryDPoPSingleUseChecker;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The demo web app: static pages, keycloak-js and the client library (clients/js) served locally, and a tiny API that
 * stores one preference per account, keyed by the token's sub. The API checks each access token itself, as an app's
 * API should: the token's signature, issuer, client and expiry, and for a token bound to a device key (DPoP) the
 * proof that comes with it (Nimbus OAuth 2.0 SDK). Run it with those jars on the class path (./demo/run.sh does):
 * {@code java -cp 'target/demo-lib/*' demo/DemoServer.java}.
 *
 * Arguments: [port] [keycloak base url] [data dir]; defaults 3000, http://localhost:8080, target/demo.
 */
public class DemoServer {

    // keycloak-js from the npm registry, fetched with npm itself (so a configured mirror is honoured) and
    // checked against the integrity the registry publishes for this version.
    static final String KEYCLOAK_JS_VERSION = "26.2.4";
    static final String KEYCLOAK_JS_INTEGRITY = "sha512-PnXpR3ubETGOt0B/Qt2lxmPbkZr5bc3vlQsOqDoTPPQsZRp7JjhTKxlJ187uWh8qJhvBab6Gsjb06a8ayOPfuw==";

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        String keycloak = args.length > 1 ? args[1] : "http://localhost:8080";
        Path data = Path.of(args.length > 2 ? args[2] : "target/demo");
        Path app = Files.isDirectory(Path.of("demo/app")) ? Path.of("demo/app") : Path.of("app");
        // The client library as its package holds it; an app installs it (npm) and its bundler serves it the same way.
        Path library = (Files.isDirectory(Path.of("clients")) ? Path.of("clients") : Path.of("../clients")).resolve("js/src");
        Files.createDirectories(data);
        byte[] keycloakJs = keycloakJs(data);
        Preferences preferences = new Preferences(data.resolve("preferences.properties"));
        String origin = "http://localhost:" + port;
        AccessTokens tokens = new AccessTokens(keycloak + "/realms/demo", "demo-app", origin);

        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        server.createContext("/vendor/keycloak-js/keycloak.js", exchange -> send(exchange, 200, "text/javascript", keycloakJs));
        server.createContext("/vendor/keycloak-anonymous-users/", exchange -> file(exchange, library.toAbsolutePath().normalize(),
                "/vendor/keycloak-anonymous-users/"));
        server.createContext("/config.json", exchange -> send(exchange, 200, "application/json",
                ("{\"url\":\"" + keycloak + "\",\"realm\":\"demo\",\"clientId\":\"demo-app\"}").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/api/preference", exchange -> preference(exchange, tokens, preferences));
        server.createContext("/", exchange -> file(exchange, app.toAbsolutePath().normalize(), "/"));
        server.start();
        System.out.println("Demo app on http://localhost:" + port + " (Keycloak at " + keycloak + ", realm demo)");
    }

    /** GET returns the caller's preference; PUT stores it. The caller is the sub of a checked access token. */
    static void preference(HttpExchange exchange, AccessTokens tokens, Preferences preferences) throws IOException {
        String sub;
        try {
            sub = tokens.subject(exchange);
        } catch (Refusal refusal) {
            exchange.getResponseHeaders().set("WWW-Authenticate", refusal.challenge());
            send(exchange, 401, "application/json", refusal.json().getBytes(StandardCharsets.UTF_8));
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

    /** A request the API refuses: 401 with the scheme and error it should come back with (RFC 6750, RFC 9449). */
    static final class Refusal extends Exception {
        final String scheme;
        final String error;

        Refusal(String scheme, String error, String description) {
            super(description);
            this.scheme = scheme;
            this.error = error;
        }

        String challenge() {
            List<String> params = new ArrayList<>();
            if (scheme.equals("DPoP")) {
                params.add("algs=\"ES256 RS256\"");
            }
            if (error != null) {
                params.add("error=\"" + error + "\"");
                params.add("error_description=\"" + escape(getMessage()) + "\"");
            }
            return params.isEmpty() ? scheme : scheme + " " + String.join(", ", params);
        }

        String json() {
            return "{\"error\":\"" + (error == null ? "sign_in_first" : error) + "\",\"error_description\":\"" + escape(getMessage()) + "\"}";
        }
    }

    /**
     * The API's check of an access token. Every token: signed by the realm's key (its JWKS), issued by the realm, to
     * this app (azp), not expired, an access token (typ Bearer or DPoP, not an ID token). A token bound to a key
     * ({@code cnf.jkt}) comes as {@code Authorization: DPoP} with exactly one DPoP proof, which must be signed by that
     * key, name this request (htm, htu), be recent, be used once, and carry the token's hash (ath); a bound token sent
     * as Bearer is refused, as a copied token would be.
     */
    static final class AccessTokens {
        private final DefaultJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();
        private final DPoPProtectedResourceRequestVerifier proofs = new DPoPProtectedResourceRequestVerifier(
                new HashSet<>(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256)), 60, 60, new InMemoryDPoPSingleUseChecker(120, 60));
        private final String origin;

        AccessTokens(String issuer, String clientId, String origin) throws IOException {
            this.origin = origin;
            tokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                    JWKSourceBuilder.create(URI.create(issuer + "/protocol/openid-connect/certs").toURL()).retrying(true).build()));
            tokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    new JWTClaimsSet.Builder().issuer(issuer).claim("azp", clientId).build(), Set.of("sub", "exp")));
        }

        String subject(HttpExchange exchange) throws Refusal {
            List<String> authorization = exchange.getRequestHeaders().get("Authorization");
            if (authorization == null || authorization.isEmpty()) {
                throw new Refusal("Bearer", null, "sign in first");
            }
            String[] schemeAndToken = authorization.get(0).split(" ", 2);
            String scheme = schemeAndToken[0];
            String token = schemeAndToken.length == 2 ? schemeAndToken[1].trim() : "";
            JWTClaimsSet claims;
            try {
                claims = tokens.process(token, null);
            } catch (ParseException | BadJOSEException | JOSEException e) {
                throw new Refusal(scheme.equalsIgnoreCase("DPoP") ? "DPoP" : "Bearer", "invalid_token", "The access token is not valid: " + e.getMessage());
            }
            // The realm signs ID tokens with the same key and for the same azp: only an access token opens the API.
            if (!List.of("Bearer", "DPoP").contains(claims.getClaim("typ"))) {
                throw new Refusal("Bearer", "invalid_token", "This is not an access token");
            }
            Object jkt;
            try {
                jkt = claims.getJSONObjectClaim("cnf") == null ? null : claims.getJSONObjectClaim("cnf").get("jkt");
            } catch (ParseException e) {
                throw new Refusal("Bearer", "invalid_token", "The access token's cnf is not an object");
            }
            if (scheme.equalsIgnoreCase("Bearer")) {
                if (jkt != null) {
                    throw new Refusal("DPoP", "invalid_token", "This access token is bound to a key: send it as DPoP, with a proof by that key");
                }
                return claims.getSubject();
            }
            if (!scheme.equalsIgnoreCase("DPoP")) {
                throw new Refusal("Bearer", "invalid_request", "Send the access token as Bearer or DPoP");
            }
            if (!(jkt instanceof String thumbprint)) {
                throw new Refusal("Bearer", "invalid_token", "This access token is not bound to a key: send it as Bearer");
            }
            List<String> proof = exchange.getRequestHeaders().get("DPoP");
            if (proof == null || proof.size() != 1) {
                throw new Refusal("DPoP", "invalid_dpop_proof", "Send exactly one DPoP proof with a DPoP access token");
            }
            try {
                proofs.verify(exchange.getRequestMethod(), URI.create(origin + exchange.getRequestURI().getPath()),
                        new DPoPIssuer(thumbprint), SignedJWT.parse(proof.get(0)), new DPoPAccessToken(token),
                        new JWKThumbprintConfirmation(new Base64URL(thumbprint)), (Nonce) null); // the demo asks for no DPoP nonce
            } catch (ParseException | InvalidDPoPProofException | JOSEException e) {
                throw new Refusal("DPoP", "invalid_dpop_proof", "The DPoP proof is not valid: " + e.getMessage());
            } catch (AccessTokenValidationException e) {
                throw new Refusal("DPoP", "invalid_token", "The DPoP proof does not go with this access token: " + e.getMessage());
            }
            return claims.getSubject();
        }
    }

    static void file(HttpExchange exchange, Path root, String prefix) throws IOException {
        String path = URI.create(exchange.getRequestURI().toString()).getPath().substring(prefix.length());
        Path file = root.resolve(path.isEmpty() ? "index.html" : path).normalize();
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
