package dev.tollgate.ingest.batch;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.formats.openai.BatchLines;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.platform.http.Refused;
import dev.tollgate.schemas.Batch;
import dev.tollgate.schemas.BatchCancel;
import dev.tollgate.schemas.BatchCommand;
import dev.tollgate.schemas.BatchStatus;
import dev.tollgate.schemas.InputChunks;
import dev.tollgate.schemas.StoredFile;
import dev.tollgate.schemas.Topic;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The Batch API's handlers, each called with the caller's authenticated key. A team sees only its
 * own batches and files: anything else is 404, as if it did not exist. Writes go to {@code
 * batch-commands} and wait until this instance's view shows them, so the next call sees them too.
 */
public final class BatchApi {

  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);
  private static final String WINDOW = "24h";
  private static final int MAX_METADATA = 16;

  private final BatchViews views;
  private final Topic<String, BatchCommand> commandTopic;
  private final ApiCalls calls;
  private final Clock clock;

  BatchApi(
      BatchViews views, Topic<String, BatchCommand> commandTopic, ApiCalls calls, Clock clock) {
    this.views = views;
    this.commandTopic = commandTopic;
    this.calls = calls;
    this.clock = clock;
  }

  /** {@code POST /v1/batches}. */
  public void create(RoutingContext ctx, ApiKey key, String keyHash) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null) {
      OpenAiError.invalidRequest("The body must be a JSON object.", null).send(ctx);
      return;
    }
    Object inputFileId = body.getValue("input_file_id");
    if (!(inputFileId instanceof String fileId)) {
      OpenAiError.invalidRequest("input_file_id: required, a string.", "input_file_id").send(ctx);
      return;
    }
    if (!BatchLines.ENDPOINTS.contains(body.getValue("endpoint"))) {
      OpenAiError.invalidRequest("endpoint: one of " + BatchLines.ENDPOINTS + ".", "endpoint")
          .send(ctx);
      return;
    }
    if (!WINDOW.equals(body.getValue("completion_window"))) {
      OpenAiError.invalidRequest(
              "completion_window: only '" + WINDOW + "' is supported.", "completion_window")
          .send(ctx);
      return;
    }
    Map<String, String> metadata;
    try {
      metadata = metadata(body.getValue("metadata"));
    } catch (Refused e) {
      e.error().send(ctx);
      return;
    }
    StoredFile file = views.file(key.teamId(), fileId).orElse(null);
    if (file == null || !(file.getContent() instanceof InputChunks input)) {
      OpenAiError.notFound("not_found", "No such File object: " + fileId, "input_file_id")
          .send(ctx);
      return;
    }
    Instant now = clock.instant();
    Batch batch =
        Batch.newBuilder()
            .setId("batch_" + UUID.randomUUID().toString().replace("-", ""))
            .setTeamId(key.teamId())
            .setKeyId(key.id())
            .setKeySha256(keyHash)
            .setInputFileId(fileId)
            .setInput(input)
            .setEndpoint((String) body.getValue("endpoint"))
            .setCompletionWindow(WINDOW)
            .setStatus(BatchStatus.VALIDATING)
            .setTotal(file.getLines())
            .setMetadata(metadata)
            .setCreatedAt(now)
            .setExpiresAt(now.plus(Duration.ofHours(24)))
            .build();
    calls.json(
        ctx,
        () -> {
          calls.write(commandTopic, batch.getId(), new BatchCommand(batch.getId(), batch));
          return BatchJson.batch(
              views.awaitBatch(batch.getId(), b -> true, APPLY_TIMEOUT).orElse(batch));
        });
  }

  /** {@code GET /v1/batches}. */
  public void list(RoutingContext ctx, ApiKey key) {
    ApiCalls.send(
        ctx,
        BatchJson.page(
            views.batches(key.teamId()),
            Batch::getId,
            BatchJson::batch,
            ctx.request().getParam("after"),
            ApiCalls.limit(ctx, 20, 100)));
  }

  /** {@code GET /v1/batches/{id}}. */
  public void get(RoutingContext ctx, ApiKey key) {
    ApiCalls.send(ctx, BatchJson.batch(batch(ctx, key)));
  }

  /** {@code POST /v1/batches/{id}/cancel}. */
  public void cancel(RoutingContext ctx, ApiKey key) {
    Batch batch = batch(ctx, key);
    BatchStatus status = batch.getStatus();
    if (status == BatchStatus.CANCELLING || status == BatchStatus.CANCELLED) {
      ApiCalls.send(ctx, BatchJson.batch(batch));
      return;
    }
    if (status != BatchStatus.IN_PROGRESS && status != BatchStatus.VALIDATING) {
      new OpenAiError(
              409,
              "invalid_request_error",
              "batch_not_cancellable",
              "Batch "
                  + batch.getId()
                  + " is "
                  + status.name().toLowerCase(Locale.ROOT)
                  + " and cannot be cancelled.",
              null)
          .send(ctx);
      return;
    }
    calls.json(
        ctx,
        () -> {
          calls.write(
              commandTopic,
              batch.getId(),
              new BatchCommand(batch.getId(), new BatchCancel(clock.instant())));
          return BatchJson.batch(
              views
                  .awaitBatch(batch.getId(), b -> b.getCancellingAt() != null, APPLY_TIMEOUT)
                  .orElse(batch));
        });
  }

  private Batch batch(RoutingContext ctx, ApiKey key) {
    return ApiCalls.found(ctx, "Batch", id -> views.batch(key.teamId(), id));
  }

  private static Map<String, String> metadata(Object value) {
    Map<String, String> metadata = new HashMap<>();
    if (value == null) {
      return metadata;
    }
    if (!(value instanceof JsonObject json) || json.size() > MAX_METADATA) {
      throw new Refused(
          OpenAiError.invalidRequest(
              "metadata: an object of at most " + MAX_METADATA + " string values.", "metadata"));
    }
    for (Map.Entry<String, Object> entry : json) {
      if (!(entry.getValue() instanceof String s)) {
        throw new Refused(
            OpenAiError.invalidRequest(
                "metadata." + entry.getKey() + ": must be a string.", "metadata"));
      }
      metadata.put(entry.getKey(), s);
    }
    return metadata;
  }
}
