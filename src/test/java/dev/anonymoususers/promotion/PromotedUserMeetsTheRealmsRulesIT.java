package dev.anonymoususers.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anonymoususers.testing.AdminApi;
import dev.anonymoususers.testing.OidcClient.Authorization;
import org.junit.jupiter.api.Test;

/** Whatever the realm asks of a new user, a promoted guest is asked too: it is a guest no longer. */
class PromotedUserMeetsTheRealmsRulesIT extends PromotionRealm {

    @Test
    void realmThatVerifiesEmailAsksThePromotedUserToVerifyIt() {
        admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode().put("verifyEmail", true));
        try {
            Guest guest = guest();

            Authorization next = guest.browser().submit(startPromotion(guest.browser()), FORM, signUp(unique("verify")));

            assertThat(next.reachedApp()).as("Keycloak's verify-email step, not the app").isFalse();
            assertThat(admin.user(realm, guest.sub()).get("requiredActions")).extracting(action -> action.asText())
                    .contains("VERIFY_EMAIL");
            assertThat(admin.isGuest(realm, guest.sub())).isFalse();
        } finally {
            admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode().put("verifyEmail", false));
        }
    }

    @Test
    void defaultRequiredActionsOfNewUsersAreAskedOfThePromotedUser() {
        String terms = "/admin/realms/" + realm + "/authentication/required-actions/TERMS_AND_CONDITIONS";
        var action = (com.fasterxml.jackson.databind.node.ObjectNode) admin.get(terms);
        admin.send("PUT", terms, action.put("enabled", true).put("defaultAction", true));
        try {
            Guest guest = guest();

            Authorization next = guest.browser().submit(startPromotion(guest.browser()), FORM, signUp(unique("terms")));

            assertThat(next.reachedApp()).as("the terms page, not the app").isFalse();
            assertThat(next.page()).contains("template: terms.ftl").contains("id=\"kc-accept\"");
            assertThat(admin.isGuest(realm, guest.sub())).isFalse();
        } finally {
            admin.send("PUT", terms, action.put("enabled", false).put("defaultAction", false));
        }
    }

    @Test
    void aGuestIsStillSparedTheseFormsUntilItIsPromoted() {
        admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode().put("verifyEmail", true));
        try {
            Guest guest = guest();

            Authorization page = startPromotion(guest.browser());

            assertThat(page.page()).as("the sign-up page comes first").contains("id=\"" + FORM + "\"");
        } finally {
            admin.send("PUT", "/admin/realms/" + realm, AdminApi.JSON.createObjectNode().put("verifyEmail", false));
        }
    }
}
