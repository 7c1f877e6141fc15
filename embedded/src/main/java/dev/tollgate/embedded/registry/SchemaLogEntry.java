package dev.tollgate.embedded.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One change to the registry as kept in its compacted log topic: a registered schema version, or a
 * compatibility setting (subject null for the global one).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SchemaLogEntry(
    String kind, String subject, Integer version, Integer id, String schema, String compatibility) {

  public static final String SCHEMA = "schema";
  public static final String CONFIG = "config";

  static SchemaLogEntry schema(String subject, int version, int id, String schema) {
    return new SchemaLogEntry(SCHEMA, subject, version, id, schema, null);
  }

  static SchemaLogEntry config(String subject, Compatibility level) {
    return new SchemaLogEntry(CONFIG, subject, null, null, null, level.name());
  }

  /** The compaction key: the latest entry per key is all that must survive. */
  public String key() {
    return SCHEMA.equals(kind)
        ? "schema/" + subject + "/" + version
        : "config/" + (subject == null ? "" : subject);
  }
}
