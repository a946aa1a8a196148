package dev.pigeon.storage.embedded;

import java.nio.charset.StandardCharsets;

/** The column families of the embedded store, with their key and value layouts. */
enum Table {
    /** (conversation, conv_seq) to a log entry. */
    LOG("log"),
    /** (conversation, from, id) to the conv_seq of that message. */
    LOG_INDEX("log_index"),
    /** (user, seq) to a copy of the log entry. */
    INBOX("inbox"),
    /** (user, conversation, conv_seq) to the seq of that entry in the user's inbox. */
    INBOX_INDEX("inbox_index"),
    /** (sender, client id) to the first claim of that send. */
    SEND_CLAIMS("send_claims"),
    /** (user, conversation) to the read marker. */
    READ_OFFSETS("read_offsets"),
    /** (user, device) to the delivered offset. */
    DELIVERED_OFFSETS("delivered_offsets"),
    /** (group) to its members. */
    GROUPS("groups"),
    /** (conversation) to the conv_seq up to which its entries are in every member's inbox. */
    FAN_OUT_MARKS("fan_out_marks"),
    /** (kind, id) to the home region and epoch of a user or conversation, and where it is moving to. */
    HOMES("homes"),
    /** (kind, id, epoch) to the first position of that epoch's stream, for epochs after the first. */
    STREAM_STARTS("stream_starts"),
    /** (region, kind, id) to (kind, id): what is homed in each region, kept with {@link #HOMES}. */
    HOMES_BY_REGION("homes_by_region");

    private final byte[] columnFamily;

    Table(String columnFamily) {
        this.columnFamily = columnFamily.getBytes(StandardCharsets.US_ASCII);
    }

    byte[] columnFamily() {
        return columnFamily.clone();
    }
}
