package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.OidcClient.Authorization;
import dev.anonymoususers.testing.OidcClient.Tokens;
import dev.anonymoususers.testing.OidcClient;
import dev.anonymoususers.testing.RealmWithGuests;

/** What the promotion tests share: a realm with anonymous users on, guests in their browsers, the sign-up form. */
abstract class PromotionRealm extends RealmWithGuests {

    static final String FORM = "kc-promote-anonymous-form";
    static final String PASSWORD = "a-long-password-1";

    /** A browser with a guest signed in. */
    record Guest(OidcClient browser, Tokens tokens) {
        String sub() {
            return tokens.idTokenClaims().get("sub").asText();
        }
    }

    Guest guest() {
        OidcClient browser = browser();
        return new Guest(browser, browser.exchange(browser.authorizeAsGuest()));
    }

    /**
     * An offline token the guest's app asks for in the guest's browser session (asked first thing, Keycloak would keep
     * no browser session for it).
     */
    Tokens offlineToken(Guest guest) {
        Authorization sso = guest.browser().authorize(Map.of("scope", "openid offline_access"));
        if (sso.code() == null) {
            throw new AssertionError("No code for an offline token: " + sso.location() + " " + sso.page());
        }
        return guest.browser().exchange(sso);
    }

    /** What the refresh-token grant says to a refresh token issued before the promotion: refused, as after a logout. */
    void assertNoLongerRefreshes(String refreshToken) {
        var answer = browser().tryRefresh(refreshToken);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(AdminApi.read(answer.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    /** The promotion event's count of the sessions it ended. */
    int endedSessions(String userId) {
        return eventOf("CUSTOM_REQUIRED_ACTION", userId).path("details").path("ended_sessions").asInt(-1);
    }

    OidcClient browser() {
        return new OidcClient(server, realm, "web-app", REDIRECT_URI);
    }

    Authorization startPromotion(OidcClient browser) {
        return browser.authorize(Map.of("kc_action", "promote-anonymous"));
    }

    /** A complete, valid sign-up for a new person called {@code name}. */
    static Map<String, String> signUp(String name) {
        Map<String, String> form = new HashMap<>();
        form.put("username", name);
        form.put("email", name + "@example.com");
        form.put("firstName", "Grace");
        form.put("lastName", "Hopper");
        form.put("password", PASSWORD);
        form.put("password-confirm", PASSWORD);
        return form;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The message the page shows under a field, or null. */
    static String fieldError(String page, String field) {
        Matcher error = Pattern.compile("id=\"input-error-" + Pattern.quote(field) + "\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(page);
        return error.find() ? unescape(error.group(1).replaceAll("<[^>]*>", "").trim()) : null;
    }

    static String unescape(String html) {
        return html.replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** The newest event of {@code type} for the user. */
    JsonNode eventOf(String type, String userId) {
        for (JsonNode event : admin.get("/admin/realms/" + realm + "/events?type=" + type + "&user=" + userId)) {
            return event;
        }
        throw new AssertionError("No " + type + " event for " + userId);
    }

    int eventCount(String type, String userId) {
        return admin.get("/admin/realms/" + realm + "/events?type=" + type + "&user=" + userId).size();
    }
}
