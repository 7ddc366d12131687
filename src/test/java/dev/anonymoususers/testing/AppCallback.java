package dev.anonymoususers.testing;

/** Stands in for a web app's redirect URI in browser tests: a page on loopback that says where it was reached. */
public final class AppCallback implements AutoCloseable {

    private final StandInServer page = new StandInServer(200, "text/html; charset=utf-8",
            "<!doctype html><title>App</title><p id=app>Back at the app</p>");

    public String redirectUri() {
        return page.url() + "/callback";
    }

    @Override
    public void close() {
        page.close();
    }
}
