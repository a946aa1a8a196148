package dev.pigeon.ops.load;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PacerTest {

    /** A clock that only moves when the pacer parks, or when a test moves it. */
    private static final class FakeClock implements Pacer.Clock {
        long now = 1_000_000;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkNanos(long nanos) {
            now += nanos;
        }
    }

    private record Event(long index, int slot, long dueNanos, long ranAtNanos) {
    }

    @Test
    void spreadsEventsEvenlyInTimeAndRoundRobinOverSlots() {
        FakeClock clock = new FakeClock();
        List<Event> events = new ArrayList<>();
        Pacer pacer = new Pacer(new FixedRateSchedule(1000, 4), clock);

        long ran = pacer.run(clock.now, 10_000_000, Long.MAX_VALUE,
                (index, slot, due) -> events.add(new Event(index, slot, due, clock.now)));

        assertThat(ran).isEqualTo(10);
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            assertThat(event.index()).isEqualTo(i);
            assertThat(event.dueNanos()).isEqualTo(1_000_000 + i * 1_000_000L);
            assertThat(event.slot()).isEqualTo(i % 4);
            assertThat(event.ranAtNanos()).isGreaterThanOrEqualTo(event.dueNanos());
        }
    }

    @Test
    void eachSlotGetsAnEventEverySlotsOverRateSeconds() {
        FixedRateSchedule schedule = new FixedRateSchedule(3000, 1000);
        // slot 7 gets events 7, 1007, 2007...: 1000 events apart at 3000/s is a third of a second
        long first = schedule.offsetNanos(7);
        long second = schedule.offsetNanos(1007);
        assertThat(schedule.slot(7)).isEqualTo(7);
        assertThat(schedule.slot(1007)).isEqualTo(7);
        assertThat(second - first).isBetween(333_333_332L, 333_333_334L);
    }

    @Test
    void everySlotGetsTheSameShareOfAWholeCycle() {
        FixedRateSchedule schedule = new FixedRateSchedule(2000, 10);
        int[] perSlot = new int[10];
        for (long i = 0; i < 1000; i++) {
            perSlot[schedule.slot(i)]++;
        }
        assertThat(perSlot).containsOnly(100);
    }

    @Test
    void runsOverdueEventsAtOnceStampedWithTheirDueTime() {
        FakeClock clock = new FakeClock();
        long start = clock.now;
        clock.now += 5_500_000; // the pacer starts 5.5 events late
        List<Event> events = new ArrayList<>();
        Pacer pacer = new Pacer(new FixedRateSchedule(1000, 1), clock);

        pacer.run(start, 8_000_000, Long.MAX_VALUE,
                (index, slot, due) -> events.add(new Event(index, slot, due, clock.now)));

        assertThat(events).hasSize(8);
        assertThat(events.subList(0, 6)).allSatisfy(event -> assertThat(event.ranAtNanos()).isEqualTo(start + 5_500_000));
        assertThat(events).extracting(Event::dueNanos)
                .containsExactly(start, start + 1_000_000, start + 2_000_000, start + 3_000_000, start + 4_000_000,
                        start + 5_000_000, start + 6_000_000, start + 7_000_000);
    }

    @Test
    void stopsAtTheEventLimit() {
        FakeClock clock = new FakeClock();
        Pacer pacer = new Pacer(new FixedRateSchedule(100, 3), clock);

        long ran = pacer.run(clock.now, Long.MAX_VALUE, 3, (index, slot, due) -> { });

        assertThat(ran).isEqualTo(3);
    }

    @Test
    void stopsWhenAskedFromAnEvent() {
        FakeClock clock = new FakeClock();
        Pacer pacer = new Pacer(new FixedRateSchedule(100, 1), clock);

        long ran = pacer.run(clock.now, Long.MAX_VALUE, Long.MAX_VALUE, (index, slot, due) -> {
            if (index == 4) {
                pacer.stop();
            }
        });

        assertThat(ran).isEqualTo(5);
    }
}
