package dev.tollgate.embedded.registry;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaValidationException;
import org.apache.avro.SchemaValidator;
import org.apache.avro.SchemaValidatorBuilder;

/** The Confluent compatibility levels, each checked with Avro's own schema validator. */
public enum Compatibility {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE;

  /** Whether {@code candidate} may follow {@code existing}, the subject's schemas newest first. */
  public boolean allows(Schema candidate, List<Schema> existing) {
    if (this == NONE || existing.isEmpty()) {
      return true;
    }
    try {
      validator().validate(candidate, existing);
      return true;
    } catch (SchemaValidationException e) {
      return false;
    }
  }

  private SchemaValidator validator() {
    SchemaValidatorBuilder builder = new SchemaValidatorBuilder();
    builder =
        switch (this) {
          case BACKWARD, BACKWARD_TRANSITIVE -> builder.canReadStrategy();
          case FORWARD, FORWARD_TRANSITIVE -> builder.canBeReadStrategy();
          case FULL, FULL_TRANSITIVE -> builder.mutualReadStrategy();
          case NONE -> throw new IllegalStateException("NONE needs no validator");
        };
    return name().endsWith("_TRANSITIVE") ? builder.validateAll() : builder.validateLatest();
  }
}
