package dev.anonymoususers.util;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one node remembers to spare the database a query on a hot path. Bounded: when full it starts afresh, which
 * costs each entry one query again. Only for what is checked before it is trusted, or safe by its own argument;
 * each user says which.
 */
public final class NodeMemo<V> {

    private final int maxEntries;
    private final Map<String, V> entries = new ConcurrentHashMap<>();

    public NodeMemo(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    public V get(String key) {
        return entries.get(key);
    }

    public void put(String key, V value) {
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, value);
    }

    public void remove(String key) {
        entries.remove(key);
    }
}
