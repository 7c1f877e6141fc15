package dev.tollgate.ingest.batch;

import dev.tollgate.core.kafka.KafkaSettings;
import dev.tollgate.core.kafka.TopicFollower;
import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.schemas.Batch;
import dev.tollgate.schemas.StoredFile;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Every file and batch as it stands, read whole from the compacted {@code batch-files} and {@code
 * batches} topics by each ingest instance, so any instance answers for any batch.
 */
final class BatchViews implements AutoCloseable {

  private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
  private final Map<String, Batch> batches = new ConcurrentHashMap<>();
  private final TopicFollower<StoredFile> fileFollower;
  private final TopicFollower<Batch> batchFollower;

  BatchViews(KafkaSettings kafka, AvroSerdes serdes, String instanceId) {
    this.fileFollower =
        TopicFollower.table(
                kafka.clientProperties("tollgate-ingest-files-" + instanceId),
                serdes.on(kafka.topics().batchFiles()),
                (id, file) -> put(files, id, file))
            .start();
    this.batchFollower =
        TopicFollower.table(
                kafka.clientProperties("tollgate-ingest-batches-" + instanceId),
                serdes.on(kafka.topics().batches()),
                (id, batch) -> put(batches, id, batch))
            .start();
  }

  private static <V> void put(Map<String, V> map, String id, V value) {
    if (value == null) {
      map.remove(id);
    } else {
      map.put(id, value);
    }
  }

  void awaitCaughtUp(Duration timeout) {
    fileFollower.awaitCaughtUp(timeout);
    batchFollower.awaitCaughtUp(timeout);
  }

  boolean isAlive() {
    return fileFollower.isAlive() && batchFollower.isAlive();
  }

  /** The file, if it exists and belongs to {@code teamId}. */
  Optional<StoredFile> file(String teamId, String id) {
    return Optional.ofNullable(files.get(id)).filter(f -> f.getTeamId().equals(teamId));
  }

  /** The batch, if it exists and belongs to {@code teamId}. */
  Optional<Batch> batch(String teamId, String id) {
    return Optional.ofNullable(batches.get(id)).filter(b -> b.getTeamId().equals(teamId));
  }

  /** The team's files, newest first. */
  List<StoredFile> files(String teamId) {
    return files.values().stream()
        .filter(f -> f.getTeamId().equals(teamId))
        .sorted(
            Comparator.comparing(StoredFile::getCreatedAt)
                .reversed()
                .thenComparing(StoredFile::getId))
        .toList();
  }

  /** The team's batches, newest first. */
  List<Batch> batches(String teamId) {
    return batches.values().stream()
        .filter(b -> b.getTeamId().equals(teamId))
        .sorted(Comparator.comparing(Batch::getCreatedAt).reversed().thenComparing(Batch::getId))
        .toList();
  }

  /**
   * Waits (up to {@code timeout}) until the view holds a batch {@code id} that passes {@code
   * until}.
   */
  Optional<Batch> awaitBatch(String id, Predicate<Batch> until, Duration timeout) {
    return await(batchFollower, batches, id, until, timeout);
  }

  /** Waits (up to {@code timeout}) until the view holds file {@code id}. */
  Optional<StoredFile> awaitFile(String id, Duration timeout) {
    return await(fileFollower, files, id, file -> true, timeout);
  }

  private static <V> Optional<V> await(
      TopicFollower<V> follower,
      Map<String, V> map,
      String id,
      Predicate<V> until,
      Duration timeout) {
    follower.awaitUntil(
        () -> {
          V value = map.get(id);
          return value != null && until.test(value);
        },
        timeout);
    return Optional.ofNullable(map.get(id)).filter(until);
  }

  @Override
  public void close() {
    fileFollower.stop();
    batchFollower.stop();
  }
}
