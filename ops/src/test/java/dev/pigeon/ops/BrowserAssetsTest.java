package dev.pigeon.ops;

import dev.pigeon.gateway.http.WebAsset;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class BrowserAssetsTest {
    @Test
    void theClientIsServedEverywhereAndTheDemoPageOnlyWithDevTokens() {
        List<WebAsset> assets = BrowserAssets.all();
        assertThat(assets).extracting(WebAsset::path, WebAsset::contentType, WebAsset::served).containsExactly(
                tuple("/client.js", "text/javascript; charset=utf-8", WebAsset.Served.ALWAYS),
                tuple("/", "text/html; charset=utf-8", WebAsset.Served.WITH_DEV_TOKENS));
        assertThat(new String(assets.get(0).content(), StandardCharsets.UTF_8)).contains("export function connect(");
        assertThat(new String(assets.get(1).content(), StandardCharsets.UTF_8)).contains("from '/client.js'");
    }
}
