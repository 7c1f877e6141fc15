package dev.tollgate.ingest.batch;

import dev.tollgate.core.kafka.Records;
import dev.tollgate.platform.files.FileLines;
import dev.tollgate.schemas.FileChunk;
import dev.tollgate.schemas.InputChunks;
import dev.tollgate.schemas.StoredFile;
import dev.tollgate.schemas.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Stores an uploaded file in Kafka: its lines in chunks of about {@value #CHUNK_BYTES} bytes on
 * {@code batch-file-chunks} (all under the file id, so in one partition), then the file's record
 * with every chunk's offset on {@code batch-files}. Blank lines are dropped; a line over the size
 * limit is kept as a marker (see {@link FileLines}) and never held whole in memory (see {@link
 * BoundedLines}). Blocking: run it off the event loop.
 */
final class FileUploads {

  /** How long a chunk or the file record may take to be written. */
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  /** Refused: the file is over a limit. */
  static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  static final int CHUNK_BYTES = 256 * 1024;

  private final Producer<String, SpecificRecord> producer;
  private final Topic<String, FileChunk> chunkTopic;
  private final Topic<String, StoredFile> fileTopic;
  private final FilesConfig config;
  private final Clock clock;

  FileUploads(
      Producer<String, SpecificRecord> producer,
      Topic<String, FileChunk> chunkTopic,
      Topic<String, StoredFile> fileTopic,
      FilesConfig config,
      Clock clock) {
    this.producer = producer;
    this.chunkTopic = chunkTopic;
    this.fileTopic = fileTopic;
    this.config = config;
    this.clock = clock;
  }

  StoredFile store(Path upload, String id, String teamId, String filename)
      throws IOException, TooLarge {
    long bytes = Files.size(upload);
    if (bytes > config.maxFileBytes()) {
      throw new TooLarge(
          "The file is " + bytes + " bytes; the limit is " + config.maxFileBytes() + ".");
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    List<Integer> firstLines = new ArrayList<>();
    int lines = 0;
    try (InputStream in = Files.newInputStream(upload)) {
      BoundedLines reader = new BoundedLines(in, config.maxLineBytes());
      List<String> chunk = new ArrayList<>();
      long chunkBytes = 0;
      BoundedLines.Line line;
      while ((line = reader.next()) != null) {
        if (!line.isOversized() && line.text().isBlank()) {
          continue;
        }
        if (++lines > config.maxFileLines()) {
          throw new TooLarge(
              "The file has more than " + config.maxFileLines() + " lines, the limit.");
        }
        chunk.add(
            line.isOversized() ? FileLines.oversized(line.head(), line.bytes()) : line.text());
        chunkBytes += Math.min(line.bytes(), config.maxLineBytes());
        if (chunkBytes >= CHUNK_BYTES) {
          sent.add(send(id, firstLines, lines - chunk.size(), chunk));
          chunk = new ArrayList<>();
          chunkBytes = 0;
        }
      }
      if (!chunk.isEmpty()) {
        sent.add(send(id, firstLines, lines - chunk.size(), chunk));
      }
    }
    List<Long> offsets = new ArrayList<>();
    int partition = 0;
    for (Future<RecordMetadata> future : sent) {
      RecordMetadata meta = Records.await(future, SEND_TIMEOUT);
      offsets.add(meta.offset());
      partition = meta.partition();
    }
    StoredFile file =
        StoredFile.newBuilder()
            .setId(id)
            .setTeamId(teamId)
            .setPurpose("batch")
            .setFilename(filename)
            .setBytes(bytes)
            .setLines(lines)
            .setCreatedAt(clock.instant())
            .setContent(new InputChunks(partition, offsets, firstLines))
            .build();
    Records.await(producer.send(Records.to(fileTopic, id, file)), SEND_TIMEOUT);
    return file;
  }

  /** Sends {@code chunk}, whose first line is line {@code first} (from 0) of the file. */
  private Future<RecordMetadata> send(
      String id, List<Integer> firstLines, int first, List<String> chunk) {
    firstLines.add(first);
    return producer.send(
        Records.to(chunkTopic, id, new FileChunk(id, firstLines.size() - 1, chunk)));
  }
}
