package dev.anonymoususers.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Visitor addresses for X-Forwarded-For, a new one each time, so tests never share a per-address count. They are
 * private (10.0.0.0/8), which a realm's default "SSL required: external requests" lets through over plain HTTP.
 */
public final class Addresses {

    private static final AtomicInteger NEXT = new AtomicInteger(1);

    private Addresses() {
    }

    public static String next() {
        int n = NEXT.getAndIncrement();
        return "10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
    }
}
