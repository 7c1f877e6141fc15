package dev.tollgate.ingest.batch;

import dev.tollgate.schemas.Batch;
import dev.tollgate.schemas.StoredFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Files and batches in OpenAI's JSON shapes (times in Unix seconds). */
final class BatchJson {

  private BatchJson() {}

  static JsonObject file(StoredFile file) {
    return new JsonObject()
        .put("id", file.getId())
        .put("object", "file")
        .put("bytes", file.getBytes())
        .put("created_at", seconds(file.getCreatedAt()))
        .put("filename", file.getFilename())
        .put("purpose", file.getPurpose())
        .put("status", "processed")
        .putNull("status_details");
  }

  static JsonObject batch(Batch batch) {
    JsonObject metadata = new JsonObject();
    batch.getMetadata().forEach(metadata::put);
    return new JsonObject()
        .put("id", batch.getId())
        .put("object", "batch")
        .put("endpoint", batch.getEndpoint())
        .putNull("errors")
        .put("input_file_id", batch.getInputFileId())
        .put("completion_window", batch.getCompletionWindow())
        .put("status", batch.getStatus().name().toLowerCase(Locale.ROOT))
        .put("output_file_id", batch.getOutputFileId())
        .put("error_file_id", batch.getErrorFileId())
        .put("created_at", seconds(batch.getCreatedAt()))
        .put("in_progress_at", seconds(batch.getInProgressAt()))
        .put("expires_at", seconds(batch.getExpiresAt()))
        .put("finalizing_at", seconds(batch.getFinalizingAt()))
        .put("completed_at", seconds(batch.getCompletedAt()))
        .putNull("failed_at")
        .put("expired_at", seconds(batch.getExpiredAt()))
        .put("cancelling_at", seconds(batch.getCancellingAt()))
        .put("cancelled_at", seconds(batch.getCancelledAt()))
        .put(
            "request_counts",
            new JsonObject()
                .put("total", batch.getTotal())
                .put("completed", batch.getCompleted())
                .put("failed", batch.getFailed()))
        .put("metadata", metadata);
  }

  /**
   * One page of a list, OpenAI style: the items after {@code after} (an id; all when null), at most
   * {@code limit}, with {@code has_more}.
   */
  static <T> JsonObject page(
      List<T> items,
      Function<T, String> id,
      Function<T, JsonObject> json,
      String after,
      int limit) {
    int start = 0;
    if (after != null) {
      for (int i = 0; i < items.size(); i++) {
        if (id.apply(items.get(i)).equals(after)) {
          start = i + 1;
          break;
        }
      }
    }
    List<T> page = items.subList(start, Math.min(items.size(), start + limit));
    JsonArray data = new JsonArray();
    page.forEach(item -> data.add(json.apply(item)));
    return new JsonObject()
        .put("object", "list")
        .put("data", data)
        .put("first_id", page.isEmpty() ? null : id.apply(page.get(0)))
        .put("last_id", page.isEmpty() ? null : id.apply(page.get(page.size() - 1)))
        .put("has_more", start + page.size() < items.size());
  }

  private static Long seconds(Instant at) {
    return at == null ? null : at.getEpochSecond();
  }
}
