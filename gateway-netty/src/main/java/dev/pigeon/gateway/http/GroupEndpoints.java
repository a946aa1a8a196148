package dev.pigeon.gateway.http;

import dev.pigeon.protocol.ConversationId;
import dev.pigeon.protocol.ProtocolException;
import dev.pigeon.protocol.UserId;
import dev.pigeon.router.Groups;
import dev.pigeon.storage.Group;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/** Group management: create, read, add and remove members. Only members may read or change a group. */
public final class GroupEndpoints {
    private final Groups groups;

    public GroupEndpoints(Groups groups) {
        this.groups = groups;
    }

    public RouteTable.Builder addTo(RouteTable.Builder routes) {
        return routes
                .route(HttpMethod.POST, "/v1/groups", this::create)
                .route(HttpMethod.GET, "/v1/groups/{group}", this::get)
                .route(HttpMethod.POST, "/v1/groups/{group}/members", this::addMember)
                .route(HttpMethod.DELETE, "/v1/groups/{group}/members/{user}", this::removeMember);
    }

    private void create(HttpExchange exchange) {
        String user = exchange.principal().user();
        CreateGroup body = RequestBodies.json(exchange, CreateGroup.class);
        String group = UserId.require(body.group(), "group");
        List<String> members = body.members() == null ? List.of() : body.members();
        for (String member : members) {
            UserId.require(member, "member");
        }
        exchange.answer(groups.create(user, group, members), null,
                created -> exchange.respondJson(HttpResponseStatus.CREATED, GroupBody.of(created)));
    }

    private void get(HttpExchange exchange) {
        String user = exchange.principal().user();
        exchange.answer(groups.get(user, group(exchange)), null,
                group -> exchange.respondJson(HttpResponseStatus.OK, GroupBody.of(group)));
    }

    private void addMember(HttpExchange exchange) {
        String user = exchange.principal().user();
        String group = group(exchange);
        AddMember body = RequestBodies.json(exchange, AddMember.class);
        String member = UserId.require(body.user(), "user");
        exchange.answer(groups.addMember(user, group, member), null,
                changed -> exchange.respondJson(HttpResponseStatus.OK, GroupBody.of(changed)));
    }

    private void removeMember(HttpExchange exchange) {
        String user = exchange.principal().user();
        String group = group(exchange);
        String member = UserId.require(exchange.pathParam("user"), "user");
        exchange.answer(groups.removeMember(user, group, member), null,
                changed -> exchange.respondJson(HttpResponseStatus.OK, GroupBody.of(changed)));
    }

    private static String group(HttpExchange exchange) {
        String group = exchange.pathParam("group");
        if (!UserId.isValid(group)) {
            throw ProtocolException.badRequest("group is not a valid id");
        }
        return group;
    }

    record CreateGroup(String group, List<String> members) {
    }

    record AddMember(String user) {
    }

    /** {@code {"group","conversation","members"}}. */
    record GroupBody(String group, String conversation, List<String> members) {
        static GroupBody of(Group group) {
            return new GroupBody(group.name(), ConversationId.group(group.name()).value(), group.members());
        }
    }
}
