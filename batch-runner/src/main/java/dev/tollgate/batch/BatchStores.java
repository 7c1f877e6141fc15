package dev.tollgate.batch;

/** The batch runner's state stores. */
final class BatchStores {

  /** Batch id to its {@link dev.tollgate.schemas.Batch} as it stands. */
  static final String BATCHES = "batch-store";

  /** A line sent and not answered, {@code <batch id>/<line>}, to its custom_id. */
  static final String IN_FLIGHT = "batch-lines-in-flight-store";

  private BatchStores() {}
}
