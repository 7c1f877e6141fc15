package dev.tollgate.ingest.batch;

import dev.tollgate.core.auth.ApiKey;
import dev.tollgate.platform.files.FileContent;
import dev.tollgate.platform.files.FileLines;
import dev.tollgate.platform.http.OpenAiError;
import dev.tollgate.platform.http.Refused;
import dev.tollgate.schemas.BatchResults;
import dev.tollgate.schemas.InputChunks;
import dev.tollgate.schemas.StoredFile;
import dev.tollgate.schemas.Topic;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The Files API's handlers: uploads for batches, and batches' output and error files. A team sees
 * only its own files; any other id is 404, as if it did not exist.
 */
public final class FilesApi {

  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(10);

  private final FilesConfig config;
  private final BatchViews views;
  private final FileUploads uploads;
  private final Supplier<FileContent> readers;
  private final Topic<String, StoredFile> fileTopic;
  private final ApiCalls calls;

  FilesApi(
      FilesConfig config,
      BatchViews views,
      FileUploads uploads,
      Supplier<FileContent> readers,
      Topic<String, StoredFile> fileTopic,
      ApiCalls calls) {
    this.config = config;
    this.views = views;
    this.uploads = uploads;
    this.readers = readers;
    this.fileTopic = fileTopic;
    this.calls = calls;
  }

  /** Where uploads are spooled: for the route's body handler. */
  public Path uploadDir() {
    return config.uploadDir();
  }

  /** The largest upload: for the route's body handler. */
  public long maxUploadBytes() {
    return config.maxFileBytes();
  }

  /** {@code POST /v1/files} (multipart: {@code purpose=batch}, {@code file}). */
  public void upload(RoutingContext ctx, ApiKey key) {
    String purpose = ctx.request().getFormAttribute("purpose");
    List<FileUpload> files = ctx.fileUploads();
    if (!"batch".equals(purpose)) {
      OpenAiError.invalidRequest("purpose: only 'batch' is supported.", "purpose").send(ctx);
      return;
    }
    if (files.size() != 1 || !"file".equals(files.get(0).name())) {
      OpenAiError.invalidRequest(
              "Send exactly one file, in the form field 'file', with a filename.", "file")
          .send(ctx);
      return;
    }
    FileUpload upload = files.get(0);
    String id = "file-" + UUID.randomUUID().toString().replace("-", "");
    calls.json(
        ctx,
        () -> {
          StoredFile file;
          try {
            file =
                uploads.store(
                    Path.of(upload.uploadedFileName()), id, key.teamId(), upload.fileName());
          } catch (FileUploads.TooLarge e) {
            throw new Refused(
                new OpenAiError(
                    413, "invalid_request_error", "file_too_large", e.getMessage(), "file"));
          } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
          return BatchJson.file(views.awaitFile(id, APPLY_TIMEOUT).orElse(file));
        });
  }

  /** {@code GET /v1/files}. */
  public void list(RoutingContext ctx, ApiKey key) {
    String purpose = ctx.request().getParam("purpose");
    List<StoredFile> files =
        views.files(key.teamId()).stream()
            .filter(f -> purpose == null || f.getPurpose().equals(purpose))
            .toList();
    ApiCalls.send(
        ctx,
        BatchJson.page(
            files,
            StoredFile::getId,
            BatchJson::file,
            ctx.request().getParam("after"),
            ApiCalls.limit(ctx, 10_000, 10_000)));
  }

  /** {@code GET /v1/files/{id}}. */
  public void get(RoutingContext ctx, ApiKey key) {
    ApiCalls.send(ctx, BatchJson.file(file(ctx, key)));
  }

  /**
   * {@code GET /v1/files/{id}/content}: the lines of an upload, or of a batch's output, streamed as
   * they are read from Kafka. A read that fails after part of the body was sent cuts the
   * connection, so the client sees a truncated transfer, never a short file that looks whole.
   */
  public void content(RoutingContext ctx, ApiKey key) {
    StoredFile file = file(ctx, key);
    StreamedLines body = new StreamedLines(ctx.response());
    calls
        .vertx()
        .executeBlocking(
            () -> {
              read(file, body);
              body.end();
              return null;
            },
            false)
        .onFailure(
            e -> {
              if (body.started()) {
                ctx.request().connection().close();
              } else {
                ApiCalls.unavailable(e).send(ctx);
              }
            });
  }

  /**
   * Hands the file's lines to {@code sink}; an upload's lines over the size limit were never kept.
   */
  private void read(StoredFile file, Consumer<String> sink) {
    try (FileContent reader = readers.get()) {
      if (file.getContent() instanceof InputChunks chunks) {
        reader.inputLines(
            chunks,
            line -> {
              if (!FileLines.isOversized(line)) {
                sink.accept(line);
              }
            });
      } else {
        reader.results((BatchResults) file.getContent(), sink);
      }
    }
  }

  /** {@code DELETE /v1/files/{id}}: the file is gone; batches already running on it go on. */
  public void delete(RoutingContext ctx, ApiKey key) {
    StoredFile file = file(ctx, key);
    calls.json(
        ctx,
        () -> {
          calls.write(fileTopic, file.getId(), null);
          return new JsonObject()
              .put("id", file.getId())
              .put("object", "file")
              .put("deleted", true);
        });
  }

  private StoredFile file(RoutingContext ctx, ApiKey key) {
    return ApiCalls.found(ctx, "File", id -> views.file(key.teamId(), id));
  }
}
