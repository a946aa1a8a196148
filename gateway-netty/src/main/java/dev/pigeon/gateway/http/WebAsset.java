package dev.pigeon.gateway.http;

import java.util.Objects;

/**
 * A file the public port serves as is on {@code GET path}, without a token: the browser client, the
 * demo page. The gateway knows no file of its own; whoever assembles a node hands them over.
 *
 * @param path        the absolute request path, e.g. {@code /client.js}
 * @param contentType the {@code Content-Type} it is served with
 * @param content     the bytes served (kept, not copied: do not change them afterwards)
 * @param served      where it is served
 */
public record WebAsset(String path, String contentType, byte[] content, Served served) {
    /** Which nodes serve an asset. */
    public enum Served {
        /** Every node: a page anywhere may load it. */
        ALWAYS,
        /** Only nodes with dev tokens enabled (the embedded demo): a convenience, not a product. */
        WITH_DEV_TOKENS
    }

    public WebAsset {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(served, "served");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an asset path starts with /: " + path);
        }
    }
}
