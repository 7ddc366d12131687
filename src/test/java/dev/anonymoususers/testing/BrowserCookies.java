package dev.anonymoususers.testing;

import java.net.CookieHandler;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A cookie jar that behaves like a browser on a loopback address: it keeps {@code Secure} cookies over plain HTTP,
 * as browsers do for localhost, which Java's own {@code CookieManager} does not. One host, so no domain matching;
 * paths are honoured, and a cookie is known by its name and path.
 */
public final class BrowserCookies extends CookieHandler {

    /** As a browser keys cookies (one host here): by name and path, so two realms' cookies of one name both live. */
    private record Key(String name, String path) {
    }

    private final Map<Key, String> cookies = new ConcurrentHashMap<>();

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        String header = cookies.entrySet().stream()
                .filter(cookie -> path.startsWith(cookie.getKey().path()))
                // longer paths first, as browsers send them
                .sorted((a, b) -> Integer.compare(b.getKey().path().length(), a.getKey().path().length()))
                .map(cookie -> cookie.getKey().name() + "=" + cookie.getValue())
                .collect(Collectors.joining("; "));
        return header.isEmpty() ? Map.of() : Map.of("Cookie", List.of(header));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
        responseHeaders.forEach((name, values) -> {
            if ("set-cookie".equalsIgnoreCase(name)) {
                values.forEach(this::store);
            }
        });
    }

    private void store(String setCookie) {
        String[] parts = setCookie.split(";");
        String[] nameValue = parts[0].trim().split("=", 2);
        String path = "/";
        boolean expired = nameValue.length < 2 || nameValue[1].isEmpty();
        for (int i = 1; i < parts.length; i++) {
            String[] attribute = parts[i].trim().split("=", 2);
            if (attribute[0].equalsIgnoreCase("Path") && attribute.length == 2) {
                path = attribute[1];
            } else if (attribute[0].equalsIgnoreCase("Max-Age") && attribute.length == 2 && attribute[1].trim().equals("0")) {
                expired = true;
            } else if (attribute[0].equalsIgnoreCase("Expires") && attribute.length == 2 && attribute[1].contains("1970")) {
                expired = true;
            }
        }
        Key key = new Key(nameValue[0], path);
        if (expired) {
            cookies.remove(key);
        } else {
            cookies.put(key, nameValue[1]);
        }
    }
}
