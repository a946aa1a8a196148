package dev.pigeon.client;

import dev.pigeon.protocol.Frame;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps everything it is told, for tests to look at. */
final class Recorder implements PigeonListener {
    final List<Frame.Msg> messages = new CopyOnWriteArrayList<>();
    final List<Frame.Sent> sent = new CopyOnWriteArrayList<>();
    final List<Frame.Receipt> receipts = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<Frame.Error> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Frame.Msg message) {
        messages.add(message);
    }

    @Override
    public void onSent(Frame.Sent sent) {
        this.sent.add(sent);
    }

    @Override
    public void onReceipt(Frame.Receipt receipt) {
        receipts.add(receipt);
    }

    @Override
    public void onStateChange(ConnectionState state) {
        states.add(state);
    }

    @Override
    public void onError(Frame.Error error) {
        errors.add(error);
    }

    /** The bodies of the messages seen in {@code conversation}, in the order seen. */
    List<String> bodies(String conversation) {
        return messages.stream().filter(m -> m.conversation().equals(conversation)).map(Frame.Msg::body).toList();
    }

    List<Long> seqs() {
        return messages.stream().map(Frame.Msg::seq).toList();
    }

    boolean openOver(TransportKind kind) {
        return states.stream().anyMatch(s -> s.status() == ConnectionState.Status.OPEN && s.transport() == kind);
    }
}
