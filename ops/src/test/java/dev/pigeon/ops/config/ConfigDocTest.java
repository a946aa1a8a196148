package dev.pigeon.ops.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDocTest {
    /** Tests run in the module directory. */
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void theConfigurationReferenceIsGeneratedFromTheDeclarations() throws IOException {
        assertThat(Files.readString(DOC))
                .as("docs/configuration.md is stale: regenerate it with ops/bin/pigeon config-doc > docs/configuration.md")
                .isEqualTo(ConfigDoc.markdown(PigeonConfig.ALL));
    }

    @Test
    void theReferenceListsEveryKeyWithItsVariableAndDefault() {
        String doc = ConfigDoc.markdown(PigeonConfig.ALL);
        for (Setting<?> setting : PigeonConfig.ALL) {
            assertThat(doc).contains("| `" + setting.key() + "` | `" + setting.option())
                    .contains("`" + setting.envVar() + "`");
            if (setting.defaultText() != null) {
                assertThat(doc).contains("`" + setting.defaultText() + "`");
            }
        }
    }
}
