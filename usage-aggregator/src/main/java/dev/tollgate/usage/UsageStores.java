package dev.tollgate.usage;

/**
 * The usage aggregator's state stores (besides one per {@link SpendTable}): their names, shared by
 * the topology that declares them, the processors that use them and the queries that read them.
 */
public final class UsageStores {

  public static final String TEAM_TOTALS = "team-spend-total-store";
  public static final String DEPLOYMENT_HOURS = "team-spend-deployment-hour-store";
  public static final String RESOLVED_CALLS = "resolved-calls-store";
  public static final String OPEN_CALLS = "open-calls-store";
  static final String UNPUBLISHED_SPEND = "unpublished-spend-store";
  static final String UNPUBLISHED_DEPLOYMENT_HOURS = "unpublished-deployment-hours-store";

  private UsageStores() {}
}
