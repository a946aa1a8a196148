package dev.pigeon.homing;

import dev.pigeon.storage.HomeStore;
import dev.pigeon.storage.HomeStore.Kind;
import dev.pigeon.storage.StorageUnavailableException;
import dev.pigeon.storage.HomedId;
import dev.pigeon.storage.StoredHome;
import dev.pigeon.storage.StreamStart;
import dev.pigeon.storage.embedded.EmbeddedMessageStore;
import dev.pigeon.storage.embedded.EmbeddedStoreOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredHomeDirectoryTest {
    private static final Duration TTL = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    private static EmbeddedMessageStore store;

    private final AtomicLong nanos = new AtomicLong();
    private final StoredHomeDirectory eu = directory("eu", store);

    @BeforeAll
    static void open() {
        store = EmbeddedMessageStore.open(dir, EmbeddedStoreOptions.defaults());
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Test
    void aNewUserIsHomedInTheLocalRegionAtEpochOne() {
        String user = fresh();

        assertThat(join(eu.homeOfUser(user))).isEqualTo(new Home("eu", 1));
        assertThat(join(store.home(Kind.USER, user))).contains(new StoredHome("eu", 1));
    }

    @Test
    void aUserHomedElsewhereKeepsThatHomeAndEpoch() {
        String user = fresh();
        join(store.claimIfAbsent(Kind.USER, user, "us"));
        join(store.move(Kind.USER, user, 1, "ap"));

        Home home = join(eu.homeOfUser(user));

        assertThat(home).isEqualTo(new Home("ap", 2));
        assertThat(eu.isLocal(home)).isFalse();
    }

    @Test
    void theRegionThatMeetsAUserFirstHomesItForEveryRegion() {
        String user = fresh();
        StoredHomeDirectory us = directory("us", store);

        assertThat(join(us.homeOfUser(user))).isEqualTo(new Home("us", 1));
        assertThat(join(eu.homeOfUser(user))).isEqualTo(new Home("us", 1));
    }

    @Test
    void aNewGroupConversationIsHomedInTheLocalRegion() {
        String conversation = "g:" + fresh();

        assertThat(join(eu.homeOfConversation(conversation))).isEqualTo(new Home("eu", 1));
        assertThat(join(store.home(Kind.CONVERSATION, conversation))).contains(new StoredHome("eu", 1));
    }

    @Test
    void aNewDirectConversationIsHomedWithItsFirstMember() {
        String first = "a" + fresh();
        String second = "b" + fresh();
        join(store.claimIfAbsent(Kind.USER, first, "us"));
        join(store.claimIfAbsent(Kind.USER, second, "eu"));

        assertThat(join(eu.homeOfConversation("dm:" + first + ":" + second))).isEqualTo(new Home("us", 1));
    }

    @Test
    void aDirectConversationWhoseFirstMemberIsNewHomesBothLocally() {
        String first = "a" + fresh();
        String second = "b" + fresh();
        join(store.claimIfAbsent(Kind.USER, second, "us"));

        assertThat(join(eu.homeOfConversation("dm:" + first + ":" + second))).isEqualTo(new Home("eu", 1));
        assertThat(join(store.home(Kind.USER, first))).contains(new StoredHome("eu", 1));
    }

    @Test
    void aMoveIsSeenAfterForget() {
        String conversation = "g:" + fresh();
        assertThat(join(eu.homeOfConversation(conversation))).isEqualTo(new Home("eu", 1));
        join(store.move(Kind.CONVERSATION, conversation, 1, "us"));

        assertThat(join(eu.homeOfConversation(conversation))).isEqualTo(new Home("eu", 1));
        eu.forget(Kind.CONVERSATION, conversation);
        assertThat(join(eu.homeOfConversation(conversation))).isEqualTo(new Home("us", 2));
    }

    @Test
    void aMoveIsSeenOnceTheCachedHomeExpires() {
        String user = fresh();
        assertThat(join(eu.homeOfUser(user))).isEqualTo(new Home("eu", 1));
        join(store.move(Kind.USER, user, 1, "us"));

        nanos.addAndGet(TTL.toNanos() - 1);
        assertThat(join(eu.homeOfUser(user))).isEqualTo(new Home("eu", 1));
        nanos.addAndGet(1);
        assertThat(join(eu.homeOfUser(user))).isEqualTo(new Home("us", 2));
    }

    @Test
    void forgettingAUserLeavesTheConversationOfTheSameIdCached() {
        String id = "g:" + fresh();
        join(eu.homeOfUser(id));
        join(eu.homeOfConversation(id));
        join(store.move(Kind.CONVERSATION, id, 1, "us"));

        eu.forget(Kind.USER, id);

        assertThat(join(eu.homeOfConversation(id))).isEqualTo(new Home("eu", 1));
    }

    @Test
    void aFailedLookupIsReportedAndNotCached() {
        FailingOnce failing = new FailingOnce(store);
        StoredHomeDirectory directory = directory("eu", failing);
        String user = fresh();

        assertThatThrownBy(() -> join(directory.homeOfUser(user)))
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StorageUnavailableException.class);
        assertThat(join(directory.homeOfUser(user))).isEqualTo(new Home("eu", 1));
    }

    private StoredHomeDirectory directory(String region, HomeStore homes) {
        return new StoredHomeDirectory(region, homes, 100, TTL, nanos::get);
    }

    private static String fresh() {
        return "u" + UUID.randomUUID().toString().replace("-", "");
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    /** Fails its first lookup as an unreachable store would, then delegates. */
    private static final class FailingOnce implements HomeStore {
        private final HomeStore delegate;
        private final AtomicBoolean failed = new AtomicBoolean();

        FailingOnce(HomeStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Optional<StoredHome>> home(Kind kind, String id) {
            return failed.compareAndSet(false, true)
                    ? CompletableFuture.failedFuture(new StorageUnavailableException("unreachable", null))
                    : delegate.home(kind, id);
        }

        @Override
        public CompletionStage<StoredHome> claimIfAbsent(Kind kind, String id, String region) {
            return delegate.claimIfAbsent(kind, id, region);
        }

        @Override
        public CompletionStage<Optional<StoredHome>> move(Kind kind, String id, long expectedEpoch, String newRegion) {
            return delegate.move(kind, id, expectedEpoch, newRegion);
        }

        @Override
        public CompletionStage<Optional<StoredHome>> markMoving(Kind kind, String id, long expectedEpoch, String toRegion) {
            return delegate.markMoving(kind, id, expectedEpoch, toRegion);
        }

        @Override
        public CompletionStage<Long> recordStreamStart(Kind kind, String id, long epoch, long proposedStart) {
            return delegate.recordStreamStart(kind, id, epoch, proposedStart);
        }

        @Override
        public CompletionStage<List<StreamStart>> streamStarts(Kind kind, String id) {
            return delegate.streamStarts(kind, id);
        }

        @Override
        public CompletionStage<List<HomedId>> homedIn(String region) {
            return delegate.homedIn(region);
        }
    }
}
