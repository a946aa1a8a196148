package dev.pigeon.ops;

import dev.pigeon.gateway.http.WebAsset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The browser files of the clients module, handed to the gateway: {@code /client.js} on every node
 * (any page may use it), the demo page on {@code /} only where dev tokens are.
 */
public final class BrowserAssets {
    private static final String FOLDER = "dev/pigeon/client/browser/";

    private BrowserAssets() {
    }

    /** Loads them from the classpath; a missing file means a broken build and fails the start. */
    public static List<WebAsset> all() {
        return List.of(
                load("/client.js", "client.js", "text/javascript; charset=utf-8", WebAsset.Served.ALWAYS),
                load("/", "demo.html", "text/html; charset=utf-8", WebAsset.Served.WITH_DEV_TOKENS));
    }

    private static WebAsset load(String path, String file, String contentType, WebAsset.Served served) {
        try (InputStream in = BrowserAssets.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("the classpath has no " + FOLDER + file);
            }
            return new WebAsset(path, contentType, in.readAllBytes(), served);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
