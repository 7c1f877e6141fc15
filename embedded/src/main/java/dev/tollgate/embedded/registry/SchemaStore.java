package dev.tollgate.embedded.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.avro.Schema;

/**
 * The registry's state: schemas by global id, versions by subject, compatibility settings. Every
 * change is first handed to the {@code log} (which persists it) and then applied, so a store
 * rebuilt by {@link #apply replaying} the log gives every schema the same id again. Identical
 * schemas share one id across subjects, as in Confluent's registry.
 */
public final class SchemaStore {

  /** A schema as registered under a subject. */
  public record Registered(String subject, int version, int id, Schema schema) {}

  private final Consumer<SchemaLogEntry> log;
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, Integer> idByCanonical = new HashMap<>();
  private final Map<String, TreeMap<Integer, Registered>> bySubject = new TreeMap<>();
  private final Map<String, Compatibility> subjectLevels = new HashMap<>();
  private Compatibility globalLevel = Compatibility.BACKWARD;
  private int maxId;

  public SchemaStore(Consumer<SchemaLogEntry> log) {
    this.log = log;
  }

  /** A store that keeps nothing beyond this process. */
  public static SchemaStore inMemory() {
    return new SchemaStore(entry -> {});
  }

  /**
   * Registers {@code schema} under {@code subject}: the existing version if it is there already,
   * else a new version, if the subject's compatibility level allows it.
   *
   * @throws IncompatibleSchemaException if the level refuses it
   */
  public synchronized Registered register(String subject, Schema schema) {
    Optional<Registered> existing = lookup(subject, schema);
    if (existing.isPresent()) {
      return existing.get();
    }
    if (!compatibility(subject).allows(schema, schemasNewestFirst(subject))) {
      throw new IncompatibleSchemaException(
          "schema is incompatible with subject '" + subject + "' at " + compatibility(subject));
    }
    String canonical = schema.toString();
    int id = idByCanonical.getOrDefault(canonical, maxId + 1);
    TreeMap<Integer, Registered> versions = bySubject.get(subject);
    int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    SchemaLogEntry entry = SchemaLogEntry.schema(subject, version, id, canonical);
    log.accept(entry);
    apply(entry);
    return bySubject.get(subject).get(version);
  }

  public synchronized Optional<Registered> lookup(String subject, Schema schema) {
    Integer id = idByCanonical.get(schema.toString());
    if (id == null) {
      return Optional.empty();
    }
    return bySubject.getOrDefault(subject, new TreeMap<>()).values().stream()
        .filter(r -> r.id() == id)
        .findFirst();
  }

  public synchronized Optional<Schema> byId(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Every subject version that uses schema {@code id}. */
  public synchronized List<Registered> usesOf(int id) {
    List<Registered> uses = new ArrayList<>();
    bySubject
        .values()
        .forEach(
            versions -> versions.values().stream().filter(r -> r.id() == id).forEach(uses::add));
    return uses;
  }

  public synchronized List<String> subjects() {
    return List.copyOf(bySubject.keySet());
  }

  public synchronized List<Integer> versions(String subject) {
    return List.copyOf(bySubject.getOrDefault(subject, new TreeMap<>()).keySet());
  }

  /** A version of a subject; {@code -1} means the latest. */
  public synchronized Optional<Registered> version(String subject, int version) {
    TreeMap<Integer, Registered> versions = bySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        version == -1 ? versions.lastEntry().getValue() : versions.get(version));
  }

  /** Whether {@code schema} could be registered under {@code subject} now. */
  public synchronized boolean isCompatible(String subject, Schema schema) {
    return compatibility(subject).allows(schema, schemasNewestFirst(subject));
  }

  public synchronized Compatibility compatibility(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  public synchronized Optional<Compatibility> subjectCompatibility(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  /** Sets the level of {@code subject}, or the global level when it is null. */
  public synchronized void setCompatibility(String subject, Compatibility level) {
    SchemaLogEntry entry = SchemaLogEntry.config(subject, level);
    log.accept(entry);
    apply(entry);
  }

  /** Applies a logged change; used on replay and after logging a new one. */
  public synchronized void apply(SchemaLogEntry entry) {
    if (SchemaLogEntry.CONFIG.equals(entry.kind())) {
      Compatibility level = Compatibility.valueOf(entry.compatibility());
      if (entry.subject() == null) {
        globalLevel = level;
      } else {
        subjectLevels.put(entry.subject(), level);
      }
      return;
    }
    Schema schema = new Schema.Parser().parse(entry.schema());
    byId.put(entry.id(), schema);
    idByCanonical.put(schema.toString(), entry.id());
    maxId = Math.max(maxId, entry.id());
    bySubject
        .computeIfAbsent(entry.subject(), s -> new TreeMap<>())
        .put(entry.version(), new Registered(entry.subject(), entry.version(), entry.id(), schema));
  }

  private List<Schema> schemasNewestFirst(String subject) {
    List<Schema> schemas = new ArrayList<>();
    bySubject
        .getOrDefault(subject, new TreeMap<>())
        .descendingMap()
        .values()
        .forEach(r -> schemas.add(r.schema()));
    return schemas;
  }
}
