package dev.anonymoususers.testing;

import java.net.URI;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.openqa.selenium.By;

/** A guest signed in in real Chromium, then sent to the sign-up page as an app sends it. */
public final class GuestInBrowser {

    private GuestInBrowser() {
    }

    /** Signs a guest in in the browser and returns its sub; {@code viaHost} may point the browser at another host name. */
    public static String signIn(Browser browser, OidcClient client, AppCallback app, UnaryOperator<String> viaHost) {
        browser.open(viaHost.apply(client.authorizationUrl(Map.of("login_hint", "anonymous"))));
        browser.awaitUrlStartingWith(app.redirectUri());
        return client.exchange(new OidcClient.Authorization(302, URI.create(browser.url()), null).code())
                .idTokenClaims().get("sub").asText();
    }

    public static String signIn(Browser browser, OidcClient client, AppCallback app) {
        return signIn(browser, client, app, UnaryOperator.identity());
    }

    /** Starts the promotion as an app does and waits for the sign-up page. */
    public static void openSignUpPage(Browser browser, OidcClient client, UnaryOperator<String> viaHost) {
        browser.open(viaHost.apply(client.authorizationUrl(Map.of("kc_action", "promote-anonymous"))));
        browser.await(By.id("kc-promote-anonymous-form"));
    }

    public static void openSignUpPage(Browser browser, OidcClient client) {
        openSignUpPage(browser, client, UnaryOperator.identity());
    }
}
