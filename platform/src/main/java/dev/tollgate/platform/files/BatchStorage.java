package dev.tollgate.platform.files;

import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.TopicAdmin;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.schemas.BatchResult;
import dev.tollgate.schemas.FileChunk;
import dev.tollgate.schemas.Topics;
import java.time.Duration;
import java.util.List;

/**
 * The topics of the Files and Batch APIs, which ingest and the batch runner both use, and readers
 * of the files on them.
 */
public final class BatchStorage {

  /** How long uploads and batch results are kept. */
  public static final Duration RETENTION = Duration.ofDays(30);

  private final KafkaSettings kafka;
  private final AvroSerdes serdes;

  private BatchStorage(KafkaSettings kafka, AvroSerdes serdes) {
    this.kafka = kafka;
    this.serdes = serdes;
  }

  /** Creates the batch topics if missing (whichever service starts first does). */
  public static BatchStorage ensure(KafkaSettings kafka, AvroSerdes serdes) {
    Topics topics = kafka.topics();
    TopicAdmin admin = new TopicAdmin(kafka);
    admin.ensure(
        List.of(
            admin.retained(topics.batchFileChunks().name(), RETENTION),
            admin.retained(topics.batchResults().name(), RETENTION),
            admin.compacted(topics.batchFiles().name(), kafka.partitions()),
            admin.compacted(topics.batches().name(), kafka.partitions()),
            admin.topic(topics.batchCommands().name()),
            admin.topic(topics.batchReplies().name())));
    return new BatchStorage(kafka, serdes);
  }

  /** A reader of uploaded files and batch results, with a consumer of its own; close it. */
  public FileContent reader(String clientId) {
    return new FileContent(
        kafka.clientProperties(clientId),
        kafka.topics().batchFileChunks().name(),
        kafka.topics().batchResults().name(),
        serdes.of(FileChunk.class),
        serdes.of(BatchResult.class));
  }
}
