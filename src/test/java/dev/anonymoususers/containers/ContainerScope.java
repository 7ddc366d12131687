package dev.anonymoususers.containers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Container;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * What one test starts in Docker: a network of its own and the containers on it, all labelled with this scope's
 * id. Closing the scope removes every one of them with its volumes — in a try-with-resources, also when the test
 * fails or a container fails to start — and {@link #leftBehind()} proves it, by label and by the volumes that
 * appeared while the scope was open.
 */
final class ContainerScope implements AutoCloseable {

    static final String LABEL = "dev.anonymoususers.container-scope";

    final String id = UUID.randomUUID().toString();
    final Network network = Network.builder().createNetworkCmdModifier(create -> create.withLabels(Map.of(LABEL, id))).build();
    private final List<GenericContainer<?>> containers = new ArrayList<>();
    private final Set<String> volumesBefore = volumes();

    /** The container, on this scope's network and labelled with it; this scope removes it when it closes. */
    GenericContainer<?> add(GenericContainer<?> container) {
        containers.add(container);
        container.withNetwork(network).withLabel(LABEL, id);
        return container;
    }

    @Override
    public void close() {
        containers.forEach(GenericContainer::stop); // Testcontainers removes each with its volumes, running or not
        network.close();
    }

    /** Containers, networks and volumes this scope made that still exist: empty once it is closed. */
    List<String> leftBehind() {
        DockerClient docker = DockerClientFactory.instance().client();
        List<String> left = new ArrayList<>();
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, id)).exec().stream()
                .map(Container::getNames).map(names -> "container " + String.join(",", names)).forEach(left::add);
        docker.listNetworksCmd().withFilter("label", List.of(LABEL + "=" + id)).exec()
                .forEach(network -> left.add("network " + network.getName()));
        volumes().stream().filter(volume -> !volumesBefore.contains(volume)).map(volume -> "volume " + volume).forEach(left::add);
        return left;
    }

    private static Set<String> volumes() {
        List<InspectVolumeResponse> volumes = DockerClientFactory.instance().client().listVolumesCmd().exec().getVolumes();
        Set<String> names = new HashSet<>();
        if (volumes != null) {
            volumes.forEach(volume -> names.add(volume.getName()));
        }
        return names;
    }
}
