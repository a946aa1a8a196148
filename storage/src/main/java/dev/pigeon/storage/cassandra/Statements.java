package dev.pigeon.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static java.util.concurrent.CompletableFuture.completedFuture;

/** Asynchronous helpers over the driver: preparing many statements, reading every page. */
final class Statements {
    private Statements() {
    }

    /** Prepares all of {@code cql} at once; the list is in the same order. */
    static CompletionStage<List<PreparedStatement>> prepareAll(CqlSession session, List<String> cql) {
        List<CompletableFuture<PreparedStatement>> prepared = cql.stream()
                .map(statement -> session.prepareAsync(statement).toCompletableFuture()).toList();
        return CompletableFuture.allOf(prepared.toArray(CompletableFuture[]::new))
                .thenApply(done -> prepared.stream().map(CompletableFuture::join).toList());
    }

    /** Every row of a result, fetching the pages after the first one by one. */
    static CompletionStage<List<Row>> rows(CompletionStage<AsyncResultSet> result) {
        return result.thenCompose(page -> collect(page, new ArrayList<>()));
    }

    private static CompletionStage<List<Row>> collect(AsyncResultSet page, List<Row> into) {
        page.currentPage().forEach(into::add);
        return page.hasMorePages()
                ? page.fetchNextPage().thenCompose(next -> collect(next, into))
                : completedFuture(into);
    }
}
