package dev.tollgate.ingest.batch;

import dev.tollgate.platform.files.BatchStorage;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Batch and Files APIs of one ingest instance: their topics and the views every instance reads.
 * The batch runner (its own deployable) runs the batches they create.
 */
public final class BatchService implements AutoCloseable {

  private final FilesApi files;
  private final BatchApi batches;
  private final BatchViews views;

  private BatchService(FilesApi files, BatchApi batches, BatchViews views) {
    this.files = files;
    this.batches = batches;
    this.views = views;
  }

  /**
   * @param producer the ingest producer (idempotent, acks=all), for uploads and commands
   */
  public static BatchService start(
      ServiceContext ctx, Producer<String, SpecificRecord> producer, String instanceId) {
    FilesConfig config = FilesConfig.from(ctx.settings());
    Topics topics = ctx.kafka().topics();
    BatchStorage storage = BatchStorage.ensure(ctx.kafka(), ctx.serdes());
    String readerId = "tollgate-batch-files-" + instanceId;
    BatchViews views = new BatchViews(ctx.kafka(), ctx.serdes(), instanceId);
    views.awaitCaughtUp(Duration.ofSeconds(60));
    ApiCalls calls = new ApiCalls(ctx.vertx(), producer);
    FilesApi files =
        new FilesApi(
            config,
            views,
            new FileUploads(
                producer, topics.batchFileChunks(), topics.batchFiles(), config, Clock.systemUTC()),
            () -> storage.reader(readerId),
            topics.batchFiles(),
            calls);
    BatchApi batches = new BatchApi(views, topics.batchCommands(), calls, Clock.systemUTC());
    return new BatchService(files, batches, views);
  }

  public FilesApi files() {
    return files;
  }

  public BatchApi batches() {
    return batches;
  }

  public boolean isHealthy() {
    return views.isAlive();
  }

  @Override
  public void close() {
    views.close();
  }
}
