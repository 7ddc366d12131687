package dev.anonymoususers.benchmark;

/**
 * What the benchmark measures, each on its own for a while at each number of clients: Keycloak's own sign-ins
 * (the baselines) and ours, on the same server in the same run. {@link #key} names it in summary.json.
 */
enum Operation {

    SESSION_FLOOR("keycloak_session_floor", "Keycloak: password grant, pbkdf2-sha256 at 1 iteration (the session floor)", true),
    PASSWORD_GRANT("keycloak_password_grant", "Keycloak: password grant (realm default hashing)", true),
    PASSWORD_GRANT_WITHOUT_EXTENSION("keycloak_password_grant_without_extension",
            "Keycloak without the extension's JAR: password grant", true),
    CLIENT_CREDENTIALS("keycloak_client_credentials", "Keycloak: client-credentials grant", true),
    NEW_USER("keycloak_new_user", "Keycloak: a new user, its fastest way (admin API creates it with a password "
            + "hashed at 1 iteration, then its password grant)", true),
    REFRESH("keycloak_refresh", "Keycloak: refresh-token grant", true),
    BROWSER_PASSWORD_LOGIN("keycloak_browser_password_login",
            "Keycloak: browser password login (authorization request, form, code exchange)", true),
    DEVICE_SIGN_IN("device_sign_in", "Ours: device sign-in, returning key, one request", false),
    DEVICE_SIGN_IN_BOUND("device_sign_in_bound", "Ours: device sign-in, returning key, one request, tokens bound to the key "
            + "(DPoP proof by the device key)", false),
    DEVICE_SIGN_IN_WITH_CHALLENGE("device_sign_in_with_challenge", "Ours: device sign-in, returning key, challenge + grant", false),
    DEVICE_SIGN_UP("device_sign_up", "Ours: device sign-up, new key, one request (creates a guest)", false),
    WEB_GUEST("web_guest_sign_in", "Ours: web guest (authorization request with login_hint=anonymous, code exchange)", false),
    GUEST_REFRESH("guest_refresh", "Ours: refresh-token grant of a device guest", false),
    PROMOTION("promotion", "Ours: promotion (kc_action page, sign-up form, code exchange)", false);

    final String key;
    final String title;
    final boolean keycloaksOwn;

    Operation(String key, String title, boolean keycloaksOwn) {
        this.key = key;
        this.title = title;
        this.keycloaksOwn = keycloaksOwn;
    }

    /** The operations whose keys {@code keys} lists, comma-separated; all of them where it is blank. */
    static java.util.List<Operation> selected(String keys) {
        if (keys == null || keys.isBlank()) {
            return java.util.List.of(values());
        }
        java.util.List<String> wanted = java.util.Arrays.stream(keys.split(",")).map(String::trim).toList();
        java.util.List<Operation> operations = java.util.Arrays.stream(values()).filter(o -> wanted.contains(o.key)).toList();
        if (operations.size() != wanted.size()) {
            throw new IllegalArgumentException("bench.operations names an unknown operation: " + keys + "; known: "
                    + java.util.Arrays.stream(values()).map(o -> o.key).toList());
        }
        return operations;
    }

    /** Whether it is measured on the server without the extension's JAR (the others run on the one with it). */
    boolean onServerWithoutExtension() {
        return this == PASSWORD_GRANT_WITHOUT_EXTENSION;
    }

    /** The Gatling group of this operation's measured requests at {@code clients} clients. */
    String group(int clients) {
        return key + " @" + clients;
    }

    /** The Gatling group of its warm-up, which the summary leaves out. */
    String warmUpGroup(int clients) {
        return "warm-up " + group(clients);
    }
}
