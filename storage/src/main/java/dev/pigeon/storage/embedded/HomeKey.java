package dev.pigeon.storage.embedded;

import dev.pigeon.storage.HomeStore.Kind;

/** What has a home: the key of its record in {@link Table#HOMES}, and the prefix of its stream starts. */
record HomeKey(Kind kind, String id) {

    Key key() {
        return Key.of(kind.name()).then(id);
    }

    byte[] bytes() {
        return key().bytes();
    }

    /** Its row in {@link Table#HOMES_BY_REGION} under {@code region}. */
    byte[] in(String region) {
        return Key.of(region).then(kind.name()).then(id).bytes();
    }
}
