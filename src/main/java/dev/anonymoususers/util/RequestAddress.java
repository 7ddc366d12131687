package dev.anonymoususers.util;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.keycloak.models.KeycloakSession;

/**
 * The network address a limit counts a request against: the one Keycloak itself uses for the request, so behind a
 * reverse proxy it follows the server's {@code proxy-headers} setting. An IPv6 address counts by its /64 prefix,
 * the block one subscriber usually holds, so rotating addresses within it does not escape a limit.
 */
public final class RequestAddress {

    private RequestAddress() {
    }

    public static String of(KeycloakSession session) {
        return limitKey(session.getContext().getConnection().getRemoteAddr());
    }

    static String limitKey(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (!address.contains(":")) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address; // a literal Keycloak gave us; never looked up by name, since it contains ':'
        }
    }
}
