package dev.tollgate.ingest.batch;

import dev.tollgate.core.auth.Vouch;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.platform.service.ServiceContext;
import dev.tollgate.platform.streams.StreamsOptions;
import dev.tollgate.platform.streams.StreamsRunner;
import dev.tollgate.schemas.BatchResult;
import dev.tollgate.schemas.FileChunk;
import dev.tollgate.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Batch and Files APIs of one ingest instance: their topics, the views every instance reads,
 * and this instance's share of the batch topology (exactly-once by default: {@code
 * batch.processing-guarantee}).
 */
public final class BatchService implements AutoCloseable {

  /** How long uploads and batch results are kept. */
  public static final Duration RETENTION = Duration.ofDays(30);

  private final FilesApi files;
  private final BatchApi batches;
  private final BatchViews views;
  private final StreamsRunner runner;

  private BatchService(FilesApi files, BatchApi batches, BatchViews views, StreamsRunner runner) {
    this.files = files;
    this.batches = batches;
    this.views = views;
    this.runner = runner;
  }

  /**
   * @param producer the ingest producer (idempotent, acks=all), for uploads and commands
   */
  public static BatchService start(
      ServiceContext ctx,
      Producer<String, SpecificRecord> producer,
      String instanceId,
      MeterRegistry metrics) {
    BatchConfig config = BatchConfig.from(ctx.settings());
    Topics topics = ctx.kafka().topics();
    TopicAdmin admin = new TopicAdmin(ctx.kafka());
    admin.ensure(
        List.of(
            admin.retained(topics.batchFileChunks().name(), RETENTION),
            admin.retained(topics.batchResults().name(), RETENTION),
            admin.compacted(topics.batchFiles().name(), ctx.kafka().partitions()),
            admin.compacted(topics.batches().name(), ctx.kafka().partitions()),
            admin.topic(topics.batchCommands().name()),
            admin.topic(topics.batchReplies().name())));
    Supplier<FileContent> readers =
        () ->
            new FileContent(
                ctx.kafka().clientProperties("tollgate-batch-files-" + instanceId),
                topics.batchFileChunks().name(),
                topics.batchResults().name(),
                ctx.serdes().of(FileChunk.class),
                ctx.serdes().of(BatchResult.class));
    BatchViews views = new BatchViews(ctx.kafka(), ctx.serdes(), instanceId);
    views.awaitCaughtUp(Duration.ofSeconds(60));
    StreamsRunner runner =
        StreamsRunner.start(
            BatchTopology.build(
                topics, ctx.serdes(), Vouch.from(ctx.settings()), config, readers::get),
            StreamsRunner.properties(
                BatchTopology.APPLICATION_ID,
                ctx.kafka(),
                StreamsOptions.offInteractivePath(
                    ctx.settings(), "batch", StreamsConfig.EXACTLY_ONCE_V2)),
            metrics,
            Duration.ofSeconds(60));
    ApiCalls calls = new ApiCalls(ctx.vertx(), producer);
    FilesApi files =
        new FilesApi(
            config,
            views,
            new FileUploads(
                producer,
                topics.batchFileChunks().name(),
                topics.batchFiles().name(),
                config,
                Clock.systemUTC()),
            readers,
            topics.batchFiles().name(),
            calls);
    BatchApi batches = new BatchApi(views, topics.batchCommands().name(), calls, Clock.systemUTC());
    return new BatchService(files, batches, views, runner);
  }

  public FilesApi files() {
    return files;
  }

  public BatchApi batches() {
    return batches;
  }

  public boolean isHealthy() {
    return runner.isHealthy() && views.isAlive();
  }

  @Override
  public void close() {
    runner.close();
    views.close();
  }
}
