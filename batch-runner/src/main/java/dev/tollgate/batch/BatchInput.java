package dev.tollgate.batch;

import dev.tollgate.schemas.Batch;
import dev.tollgate.schemas.BatchAnswer;
import dev.tollgate.schemas.BatchCancel;
import dev.tollgate.schemas.BatchCommand;
import java.util.Optional;

/** What a command on {@code batch-commands} asks of its batch: one of three things. */
interface BatchInput {

  /** What takes the inputs: the batch runner's processor. */
  interface Target {
    void created(Batch batch, long now);

    void cancelled(String batchId, long now);

    void answered(String batchId, BatchAnswer answer, long now);
  }

  void applyTo(Target target, String batchId, long now);

  /** The input {@code command} carries; empty for an action this release does not know. */
  static Optional<BatchInput> of(BatchCommand command) {
    Object action = command.getAction();
    if (action instanceof Batch created) {
      return Optional.of((target, id, now) -> target.created(created, now));
    }
    if (action instanceof BatchCancel) {
      return Optional.of(Target::cancelled);
    }
    if (action instanceof BatchAnswer answer) {
      return Optional.of((target, id, now) -> target.answered(id, answer, now));
    }
    return Optional.empty();
  }
}
