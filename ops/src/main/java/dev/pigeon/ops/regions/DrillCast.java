package dev.pigeon.ops.regions;

import dev.pigeon.protocol.ConversationId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users of a drill and their conversations. Pair {@code i} is one user homed in the lost region
 * and one in the survivor, chatting in their {@code dm:} conversation; the names alternate which of
 * the two sorts first, and a direct conversation is homed with its first member, so half the pairs'
 * conversations live in each region. One group holds both users of the first few pairs (so members
 * of both regions) and is created by a user of the lost region: it is homed there, and fails over.
 */
final class DrillCast {
    static final int GROUP_PAIRS = 3;

    /** One simulated user: where it is homed, whom it chats with, whether it is in the group. */
    record User(String name, String home, String peer, boolean inGroup) {
        String directConversation() {
            return ConversationId.direct(name, peer).value();
        }
    }

    private final List<User> users;
    private final String group;
    private final List<String> groupMembers;
    private final String groupCreator;

    private DrillCast(List<User> users, String group, List<String> groupMembers, String groupCreator) {
        this.users = List.copyOf(users);
        this.group = group;
        this.groupMembers = List.copyOf(groupMembers);
        this.groupCreator = groupCreator;
    }

    static DrillCast of(String runId, int pairs, String lost, String survivor) {
        List<User> users = new ArrayList<>();
        List<String> groupMembers = new ArrayList<>();
        String creator = null;
        for (int i = 0; i < pairs; i++) {
            String first = i % 2 == 0 ? lost : survivor;
            String second = i % 2 == 0 ? survivor : lost;
            String a = String.format("d%s-%03da-%s", runId, i, first);
            String b = String.format("d%s-%03db-%s", runId, i, second);
            boolean inGroup = i < GROUP_PAIRS;
            users.add(new User(a, first, b, inGroup));
            users.add(new User(b, second, a, inGroup));
            if (inGroup) {
                groupMembers.add(a);
                groupMembers.add(b);
            }
            if (i == 0) {
                creator = a;  // pair 0's first user is homed in the lost region
            }
        }
        return new DrillCast(users, "d" + runId + "-all", groupMembers, creator);
    }

    List<User> users() {
        return users;
    }

    User user(String name) {
        return users.stream().filter(user -> user.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no drill user " + name));
    }

    List<User> homedIn(String region) {
        return users.stream().filter(user -> user.home().equals(region)).toList();
    }

    String group() {
        return group;
    }

    String groupConversation() {
        return ConversationId.group(group).value();
    }

    List<String> groupMembers() {
        return groupMembers;
    }

    String groupCreator() {
        return groupCreator;
    }

    /** Every conversation of the drill with its members, the group last. */
    Map<String, List<String>> conversations() {
        Map<String, List<String>> conversations = new LinkedHashMap<>();
        for (User user : users) {
            conversations.computeIfAbsent(user.directConversation(),
                    conversation -> ConversationId.parse(conversation).directMembers());
        }
        conversations.put(groupConversation(), groupMembers);
        return conversations;
    }
}
