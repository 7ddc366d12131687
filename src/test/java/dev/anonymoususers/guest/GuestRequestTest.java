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
}
