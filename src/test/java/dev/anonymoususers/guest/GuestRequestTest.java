package dev.anonymoususers.guest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestRequestTest {

    @Test
    void loginHintAnonymousAsksForAGuest() {
        assertThat(GuestRequest.isGuestRequest("anonymous")).isTrue();
    }

    @Test
    void otherLoginHintsAreOrdinarySignIns() {
        assertThat(GuestRequest.isGuestRequest(null)).isFalse();
        assertThat(GuestRequest.isGuestRequest("")).isFalse();
        assertThat(GuestRequest.isGuestRequest("alice@example.com")).isFalse();
        assertThat(GuestRequest.isGuestRequest("Anonymous")).isFalse();
        assertThat(GuestRequest.isGuestRequest(" anonymous")).isFalse();
    }

    @Test
    void loginHintWithAnAssertionAsksForTheDevicesGuest() {
        assertThat(GuestRequest.isGuestRequest("anonymous:eyJh.eyJi.c2ln")).isTrue();
        assertThat(GuestRequest.deviceAssertion("anonymous:eyJh.eyJi.c2ln")).contains("eyJh.eyJi.c2ln");
        assertThat(GuestRequest.deviceAssertion("anonymous")).isEmpty();
        assertThat(GuestRequest.deviceAssertion(null)).isEmpty();
    }

    @Test
    void deviceAssertionTooLongForKeycloaksKeptHintIsReadFromTheAuthorizationRequest() {
        String hint = "anonymous:" + "a".repeat(400);

        assertThat(GuestRequest.loginHint(null, hint)).isEqualTo(hint);
        assertThat(GuestRequest.loginHint("anonymous", hint)).isEqualTo("anonymous");
    }

    @Test
    void otherLongHintsAreLeftAsKeycloakKeptThem() {
        assertThat(GuestRequest.loginHint(null, "someone@example.com" + "x".repeat(300))).isNull();
        assertThat(GuestRequest.loginHint(null, null)).isNull();
    }
}
