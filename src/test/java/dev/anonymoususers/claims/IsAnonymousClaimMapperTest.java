package dev.anonymoususers.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.IDToken;

class IsAnonymousClaimMapperTest {

    final IsAnonymousClaimMapper mapper = new IsAnonymousClaimMapper();

    @Test
    void guestGetsIsAnonymousTrue() {
        assertThat(claimFor("true")).isEqualTo(true);
    }

    @Test
    void regularUserGetsIsAnonymousFalse() {
        assertThat(claimFor(null)).isEqualTo(false);
    }

    @Test
    void scopeMapperIsOnInEveryTokenAndEndpoint() {
        assertThat(IsAnonymousClaimMapper.inAllTokens().getConfig())
                .containsEntry("id.token.claim", "true")
                .containsEntry("access.token.claim", "true")
                .containsEntry("userinfo.token.claim", "true")
                .containsEntry("introspection.token.claim", "true");
    }

    private Object claimFor(String anonymousAttribute) {
        UserModel user = mock(UserModel.class);
        when(user.getFirstAttribute("anonymous")).thenReturn(anonymousAttribute);
        UserSessionModel userSession = mock(UserSessionModel.class);
        when(userSession.getUser()).thenReturn(user);
        IDToken token = new IDToken();

        mapper.setClaim(token, IsAnonymousClaimMapper.inAllTokens(), userSession);

        return token.getOtherClaims().get("is_anonymous");
    }
}
