package dev.pigeon.gateway.ws;

/**
 * Checks UTF-8 one byte at a time, so text can be judged as it arrives: the well-formed byte
 * sequences of the Unicode Standard, table 3-7 (no overlong forms, no surrogates, nothing above
 * U+10FFFF).
 */
final class Utf8Sequence {

    private int continuationsLeft;
    private int lowest = 0x80;
    private int highest = 0xBF;

    /** Starts a new text. */
    void reset() {
        continuationsLeft = 0;
    }

    /** Takes the next byte; false when it cannot continue well-formed UTF-8. */
    boolean accept(int b) {
        b &= 0xFF;
        if (continuationsLeft > 0) {
            if (b < lowest || b > highest) {
                return false;
            }
            continuationsLeft--;
            lowest = 0x80;
            highest = 0xBF;
            return true;
        }
        if (b < 0x80) {
            return true;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            return expect(1, 0x80, 0xBF);
        }
        if (b == 0xE0) {
            return expect(2, 0xA0, 0xBF); // not overlong
        }
        if (b == 0xED) {
            return expect(2, 0x80, 0x9F); // not a surrogate
        }
        if (b >= 0xE1 && b <= 0xEF) {
            return expect(2, 0x80, 0xBF);
        }
        if (b == 0xF0) {
            return expect(3, 0x90, 0xBF); // not overlong
        }
        if (b >= 0xF1 && b <= 0xF3) {
            return expect(3, 0x80, 0xBF);
        }
        if (b == 0xF4) {
            return expect(3, 0x80, 0x8F); // not above U+10FFFF
        }
        return false;
    }

    /** True when the bytes so far end on a character boundary. */
    boolean isComplete() {
        return continuationsLeft == 0;
    }

    private boolean expect(int continuations, int nextLowest, int nextHighest) {
        continuationsLeft = continuations;
        lowest = nextLowest;
        highest = nextHighest;
        return true;
    }
}
