package dev.pigeon.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/** The process metrics every Pigeon node exports next to its own. */
public final class JvmMetrics {
    private JvmMetrics() {
    }

    /** Binds memory, GC, thread, class-loader, CPU, uptime and file-descriptor metrics; close the result to stop GC listening. */
    public static JvmGcMetrics bindTo(MeterRegistry meters) {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(meters);
        return gc;
    }
}
