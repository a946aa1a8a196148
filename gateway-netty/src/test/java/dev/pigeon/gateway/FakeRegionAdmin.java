package dev.pigeon.gateway;

import dev.pigeon.router.region.RegionAdmin;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Region levers that record every call and answer with fixed reports, or with {@link #failure} when set. */
final class FakeRegionAdmin implements RegionAdmin {
    final List<List<Object>> calls = new CopyOnWriteArrayList<>();
    volatile List<RegionStatus> regions = List.of(
            new RegionStatus("eu", "active", true, List.of("eu-1", "eu-2"), 0L),
            new RegionStatus("us", "lost", false, List.of(), null));
    volatile Throwable failure;

    @Override
    public CompletionStage<List<RegionStatus>> regions() {
        return answer(regions, "regions");
    }

    @Override
    public CompletionStage<HomeMove> rehome(String user, String region) {
        return answer(new HomeMove(user, "eu", region, 3), "rehome", user, region);
    }

    @Override
    public CompletionStage<FailoverReport> failover(String region) {
        return answer(new FailoverReport(region, "eu", 120, 45, 873), "failover", region);
    }

    @Override
    public CompletionStage<ReconcileReport> reconcile(String region) {
        return answer(new ReconcileReport(region, 4, 2, 1, List.of("g:team#17: sender unknown")), "reconcile", region);
    }

    private <T> CompletionStage<T> answer(T report, Object... call) {
        calls.add(Arrays.asList(call));
        Throwable failed = failure;
        return failed != null ? CompletableFuture.failedFuture(failed) : CompletableFuture.completedFuture(report);
    }
}
