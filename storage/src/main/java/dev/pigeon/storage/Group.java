package dev.pigeon.storage;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** A group and its members, kept sorted and without repeats. */
public record Group(String name, List<String> members) {

    public Group {
        members = List.copyOf(new TreeSet<>(members));
    }

    public static Group of(String name, Collection<String> members) {
        return new Group(name, List.copyOf(members));
    }

    public boolean hasMember(String user) {
        return members.contains(user);
    }
}
