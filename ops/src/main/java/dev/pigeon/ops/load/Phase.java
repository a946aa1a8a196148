package dev.pigeon.ops.load;

/** Where a load run is, in the order a run goes through them. */
enum Phase {
    CONNECTING("connecting"),
    READY("ready"),
    WARMING_UP("warm-up"),
    MEASURING("measuring"),
    HOLDING("holding"),
    DRAINING("draining"),
    DONE("done");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The phase of several runs seen together: the least advanced one. */
    static Phase earliest(Phase a, Phase b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}
