package dev.anonymoususers;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.keycloak.provider.ProviderConfigProperty;

/**
 * The one definition of each realm setting: its name (in the settings API's JSON, in the stored config and in realm
 * JSON alike), its kind, default and bounds, the label and help text an admin reads in the console, and the message
 * that refuses a bad value. Reading, validation, the settings API, the console's dialog and the docs test all take
 * what they need from here; adding a setting is a constant here and a component of {@link AnonymousUsersConfig}.
 */
public enum Setting {

    ENABLED("enabled", Kind.FLAG, "false", 0, 0, null,
            "Enable anonymous users",
            "Let the apps of this realm sign visitors in as guests: an authorization request with login_hint=anonymous "
                    + "creates a real account at once, the login page offers 'Continue as guest', and native apps sign in "
                    + "with device keys. When off, such requests are refused and nobody is created; existing guests keep "
                    + "their accounts. The switch of this action in the list of required actions turns guests' sign-up "
                    + "(promotion) on and off; these settings apply whatever it is. Figures (guests now, created, promoted, "
                    + "removed) are at GET /admin/realms/{realm}/anonymous-users/stats."),
    GUEST_CLIENTS("guestClients", Kind.CLIENT_IDS, "", 0, 0, null,
            "Clients that may create guests",
            "Client IDs of the apps that may create guests. Leave empty to let every OpenID Connect client the realm's "
                    + "admins created make them; Keycloak's own clients (account console, admin console, admin-cli) never "
                    + "do and cannot be named. Other apps are refused; guests that exist keep signing in."),
    DEVICE_KEY_CLIENTS("deviceKeyClients", Kind.CLIENT_IDS, "", 0, 0, null,
            "Clients that may use device keys",
            "Client IDs of the apps that may sign guests in with a device key (native apps, and web apps that remember "
                    + "the device). Leave empty to let every OpenID Connect client the realm's admins created use them; "
                    + "Keycloak's own clients never do and cannot be named."),
    GUESTS_PER_ADDRESS_PER_HOUR("guestsPerAddressPerHour", Kind.LIMIT, "30", 0, Integer.MAX_VALUE, "no limit",
            "New guests per address per hour",
            "How many guests one network address may create in an hour, counted across the cluster (IPv6: per /64). "
                    + "Past it, new guests are refused with HTTP 429 or an error redirect; existing guests keep signing "
                    + "in. 0 means no limit."),
    MAX_GUESTS("maxGuests", Kind.LIMIT, "0", 0, Integer.MAX_VALUE, "no limit",
            "Maximum guests in the realm",
            "How many guests the realm may hold at once. Past it, new guests are refused until clean-up or promotions "
                    + "make room. 0 means no limit."),
    CHALLENGE_LIFETIME_SECONDS("challengeLifetimeSeconds", Kind.NUMBER, "120", 1, 3600, null,
            "Device challenge lifetime (seconds)",
            "How long a challenge from the challenge endpoint may wait for the device's signed assertion. Each "
                    + "challenge serves one attempt. From 1 to 3600."),
    GUEST_GROUPS("guestGroups", Kind.GROUP_PATHS, "", 0, 0, null,
            "Groups guests join",
            "Paths of groups (such as /guests) that every new guest joins and leaves when it becomes a regular user, "
                    + "so apps can give guests fewer rights through ordinary roles."),
    REMOVE_INACTIVE_GUESTS_AFTER_DAYS("removeInactiveGuestsAfterDays", Kind.LIMIT, "30", 0, 36500, "never",
            "Remove inactive guests after (days)",
            "A guest with no session and no sign-in for this many days is deleted, and its device keys are revoked for "
                    + "good. Regular users are never touched. 0 means never; at most 36500.");

    /** What a setting holds, and so its JSON type, its console field and its refusals. */
    public enum Kind {
        /** true or false. */
        FLAG,
        /** A whole number from min to max, where 0 means none (its {@code zeroMeans}: no limit, never). */
        LIMIT,
        /** A whole number from min to max. */
        NUMBER,
        /** Client ids of the realm's own apps. */
        CLIENT_IDS,
        /** Paths of the realm's groups. */
        GROUP_PATHS;

        public boolean isList() {
            return this == CLIENT_IDS || this == GROUP_PATHS;
        }
    }

    /** How Keycloak joins the values of a list in a required action's config (its console dialog does the same). */
    public static final String LIST_SEPARATOR = "##";

    private final String json;
    private final Kind kind;
    private final String defaultValue;
    private final int min;
    private final int max;
    private final String zeroMeans;
    private final String label;
    private final String help;

    Setting(String json, Kind kind, String defaultValue, int min, int max, String zeroMeans, String label, String help) {
        this.json = json;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.min = min;
        this.max = max;
        this.zeroMeans = zeroMeans;
        this.label = label;
        this.help = help;
    }

    /** The setting's name: in the settings API's JSON, in the stored config and in realm JSON. */
    public String json() {
        return json;
    }

    public Kind kind() {
        return kind;
    }

    public String label() {
        return label;
    }

    public String help() {
        return help;
    }

    /** The default as it is stored: "false", a number, or "" for an empty list. */
    public String defaultValue() {
        return defaultValue;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public static Optional<Setting> byJsonName(String name) {
        return Arrays.stream(values()).filter(setting -> setting.json.equals(name)).findFirst();
    }

    /** The names of every setting, for the message that refuses an unknown one. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Setting::json).toList());
    }

    /** The setting as the console's dialog shows it: every value a string, lists joined with {@value #LIST_SEPARATOR}. */
    public ProviderConfigProperty consoleField() {
        ProviderConfigProperty field = new ProviderConfigProperty();
        field.setName(json);
        field.setLabel(label);
        field.setHelpText(help);
        // Numbers are text fields, as Keycloak's own max_auth_age is: what an admin types reaches the server, which
        // says what is wrong with it, where a number field would quietly drop a letter.
        field.setType(switch (kind) {
            case FLAG -> ProviderConfigProperty.BOOLEAN_TYPE;
            case LIMIT, NUMBER -> ProviderConfigProperty.STRING_TYPE;
            case CLIENT_IDS, GROUP_PATHS -> ProviderConfigProperty.MULTIVALUED_STRING_TYPE;
        });
        if (!kind.isList()) {
            field.setDefaultValue(defaultValue);
        }
        return field;
    }

    /** The console's fields, one per setting, in this order. */
    public static List<ProviderConfigProperty> consoleFields() {
        return Arrays.stream(values()).map(Setting::consoleField).toList();
    }

    /** What an admin is told when the value has the wrong JSON type (settings API) or is not a number (console). */
    public String typeRefusal() {
        return named() + switch (kind) {
            case FLAG -> " must be true or false";
            case LIMIT -> " must be a whole number, 0 for " + zeroMeans;
            case NUMBER -> " must be a whole number";
            case CLIENT_IDS -> " must be a list of client ids";
            case GROUP_PATHS -> " must be a list of group paths, such as /guests";
        };
    }

    /** What an admin is told when {@code number} is out of bounds. */
    public String rangeRefusal(long number) {
        if (kind == Kind.LIMIT && max == Integer.MAX_VALUE && number < min) {
            return named() + " must be 0 or more (0 means " + zeroMeans + ")";
        }
        if (kind == Kind.LIMIT) {
            return named() + " must be from 0 to " + max + " (0 means " + zeroMeans + ")";
        }
        return named() + " must be from " + min + " to " + max;
    }

    /** The setting as messages name it, for the API's reader and the console's alike: its label, then its name. */
    public String named() {
        return label + " (" + json + ")";
    }
}
