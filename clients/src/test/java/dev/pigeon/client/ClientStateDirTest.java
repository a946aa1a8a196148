package dev.pigeon.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClientStateDirTest {
    @TempDir
    Path dir;

    @Test
    void keepsThePositionAndTheReadMarkersAcrossReopening() {
        try (ClientStateDir state = ClientStateDir.open(dir)) {
            assertThat(state.position()).isNull();
            assertThat(state.readMarkers()).isEmpty();
            state.savePosition(41);
            state.savePosition(42);
            state.saveReadMarkers(Map.of("dm:alice:bob", 7L, "g:team", 3L));
        }
        try (ClientStateDir state = ClientStateDir.open(dir)) {
            assertThat(state.position()).isEqualTo(42L);
            assertThat(state.readMarkers()).containsOnly(Map.entry("dm:alice:bob", 7L), Map.entry("g:team", 3L));
            state.saveReadMarkers(Map.of());
            assertThat(state.readMarkers()).isEmpty();
        }
        assertThat(dir.resolve("position.json.tmp")).doesNotExist();
    }

    @Test
    void unreadableFilesAreIgnoredRatherThanRefusingToStart() throws Exception {
        Files.write(dir.resolve("position.json"), "{\"seq\":".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("reads.json"), "{\"dm:a:b\":\"x\",\"g:team\":5}".getBytes(StandardCharsets.UTF_8));

        try (ClientStateDir state = ClientStateDir.open(dir)) {
            assertThat(state.position()).isNull();
            assertThat(state.readMarkers()).containsOnly(Map.entry("g:team", 5L));
        }
        Files.write(dir.resolve("reads.json"), "[not json".getBytes(StandardCharsets.UTF_8));
        try (ClientStateDir state = ClientStateDir.open(dir)) {
            assertThat(state.readMarkers()).isEmpty();
        }
    }

    @Test
    void thePositionIsSavedBehindTheListenerOnceItCatchesUpOrEveryFewEntries() {
        try (ClientStateDir state = ClientStateDir.open(dir)) {
            List<Long> saves = new ArrayList<>();
            DurablePosition position = new DurablePosition(state, 0, 4);
            position.queued(10);
            for (long seq = 1; seq <= 10; seq++) {
                position.handled(seq);
                saves.add(state.position());
            }
            // nothing saved before 4; then at most 4 behind, and caught up at the last
            assertThat(saves).containsExactly(null, null, null, 4L, 4L, 4L, 4L, 8L, 8L, 10L);

            position.moveTo(3);
            assertThat(state.position()).isEqualTo(3L);
            position.queued(5);
            position.handled(4);
            assertThat(state.position()).isEqualTo(3L);
            position.handled(5);
            assertThat(state.position()).isEqualTo(5L);
        }
    }
}
