package dev.pigeon.router;

import dev.pigeon.protocol.ErrorCode;
import dev.pigeon.protocol.Frame;
import dev.pigeon.storage.Group;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static dev.pigeon.router.RouterFixture.await;
import static dev.pigeon.router.RouterFixture.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

class GroupsTest {
    @RegisterExtension
    final RouterFixture fixture = RouterFixture.create(RouterLimits.defaults().withMaxGroupMembers(4));
    Groups groups;

    @BeforeEach
    void start() {
        groups = fixture.router;
    }

    @Test
    void creatorIsAlwaysAMember() {
        Group created = await(groups.create("a", "team", List.of("b", "c", "b")));

        assertThat(created).isEqualTo(new Group("team", List.of("a", "b", "c")));
        assertThat(await(groups.get("c", "team"))).isEqualTo(created);
        assertThat(await(groups.create("solo", "alone", List.of())).members()).containsExactly("solo");
    }

    @Test
    void existingGroupIsAConflict() {
        await(groups.create("a", "team", List.of("b")));

        assertThat(failureOf(groups.create("x", "team", List.of())).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(await(groups.get("a", "team")).members()).containsExactly("a", "b");
    }

    @Test
    void invalidNamesAndMembersAreBadRequests() {
        assertThat(failureOf(groups.create("a", "no spaces", List.of())).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(groups.create("a", "..", List.of())).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(groups.create("a", "team", List.of("ok", "not/ok"))).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(groups.create("a", "team", Arrays.asList("ok", null))).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(groups.create("a", "team", null)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        await(groups.create("a", "team", List.of()));
        assertThat(failureOf(groups.addMember("a", "team", "x".repeat(65))).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(failureOf(groups.removeMember("a", "team", "")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void groupsOverTheMemberLimitAreTooLarge() {
        List<String> four = IntStream.range(0, 4).mapToObj(i -> "m" + i).toList();

        assertThat(failureOf(groups.create("a", "crowd", four)).code()).isEqualTo(ErrorCode.TOO_LARGE);
        await(groups.create("a", "full", four.subList(0, 3)));
        assertThat(failureOf(groups.addMember("a", "full", "late")).code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(await(groups.addMember("a", "full", "m0")).members()).hasSize(4);
    }

    @Test
    void membersAddAndRemove() {
        await(groups.create("a", "team", List.of("b")));

        assertThat(await(groups.addMember("b", "team", "c")).members()).containsExactly("a", "b", "c");
        assertThat(await(groups.removeMember("c", "team", "a")).members()).containsExactly("b", "c");
        assertThat(await(groups.removeMember("c", "team", "c")).members()).containsExactly("b");
    }

    @Test
    void onlyMembersSeeOrChangeAGroup() {
        await(groups.create("a", "team", List.of("b")));

        assertThat(failureOf(groups.get("x", "team")).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(failureOf(groups.addMember("x", "team", "x")).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(failureOf(groups.removeMember("x", "team", "a")).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(await(groups.get("a", "team")).members()).containsExactly("a", "b");
    }

    @Test
    void missingGroupIsNotFound() {
        assertThat(failureOf(groups.get("a", "ghost")).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failureOf(groups.addMember("a", "ghost", "b")).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failureOf(groups.removeMember("a", "ghost", "b")).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void addedMemberReceivesLaterMessagesAndARemovedOneMayNoLongerSend() {
        await(groups.create("a", "team", List.of("b")));
        await(groups.addMember("a", "team", "c"));
        fixture.send("a", "g:team", "m1", "welcome c");
        await(groups.removeMember("a", "team", "b"));

        assertThat(fixture.inbox("c")).hasSize(1);
        assertThat(failureOf(fixture.router.send("b", new Frame.Send(null, "m2", "g:team", null, "x", null)))
                .code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void aChangeThroughOneNodeReachesTheGroupCachedOnAnother() {
        DefaultRouter other = fixture.router("node-2");
        await(groups.create("a", "team", List.of("b")));
        assertThat(failureOf(groups.get("c", "team")).code()).isEqualTo(ErrorCode.FORBIDDEN);

        await(other.addMember("a", "team", "c"));

        // the clock stands still, so only the announcement can refresh node 1's copy
        Awaitility.await().untilAsserted(() -> assertThat(await(groups.get("c", "team")).members()).contains("c"));
        await(other.removeMember("a", "team", "b"));
        Awaitility.await().untilAsserted(() -> assertThat(failureOf(fixture.router.send("b",
                new Frame.Send(null, "late", "g:team", null, "x", null))).code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void aChangeWhoseAnnouncementIsLostIsSeenOnceTheCachedCopyExpires() {
        await(groups.create("a", "team", List.of("b")));
        assertThat(await(groups.get("a", "team")).members()).containsExactly("a", "b");

        await(fixture.store.addMember("team", "c"));

        assertThat(failureOf(groups.get("c", "team")).code()).isEqualTo(ErrorCode.FORBIDDEN);
        fixture.clock.advance(DefaultRouter.DEFAULT_GROUP_CACHE_TTL);
        assertThat(await(groups.get("c", "team")).members()).containsExactly("a", "b", "c");
    }
}
