package dev.anonymoususers.util;


import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.anonymoususers.testing.InMemoryStore;
import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;

class OncePerClusterTest {

    final InMemoryStore store = new InMemoryStore();

    KeycloakSession node() {
        KeycloakSession session = mock(KeycloakSession.class);
        when(session.singleUseObjects()).thenReturn(store);
        return session;
    }

    @Test
    void onlyTheFirstNodeOfAnIntervalRunsTheTask() {
        KeycloakSession a = node();
        KeycloakSession b = node();

        assertThat(OncePerCluster.claim(a, "clean-up", 3_600_010, 3600)).isTrue();
        assertThat(OncePerCluster.claim(b, "clean-up", 3_600_500, 3600)).isFalse();
    }

    @Test
    void theNextIntervalRunsAgain() {
        OncePerCluster.claim(node(), "clean-up", 3_600_010, 3600);

        assertThat(OncePerCluster.claim(node(), "clean-up", 3_603_600, 3600)).isTrue();
    }

    @Test
    void tasksAreClaimedApart() {
        OncePerCluster.claim(node(), "clean-up", 3_600_010, 3600);

        assertThat(OncePerCluster.claim(node(), "statistics", 3_600_010, 3600)).isTrue();
    }
}
