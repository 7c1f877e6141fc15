package dev.tollgate.usage;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The query parameters of {@code GET /v1/usage/teams/{team}}: {@code from} and {@code to} (days,
 * inclusive, in the team's time zone), {@code group_by} (a comma-separated subset of day, month,
 * model, provider, key) and {@code format} (json or csv). Bad values are refused naming the
 * parameter.
 */
record UsageRequest(LocalDate from, LocalDate to, Set<String> groupBy, String format) {

  static final Set<String> DIMENSIONS = Set.of("day", "month", "model", "provider", "key");
  static final int DEFAULT_DAYS = 31;

  /** A parameter that does not parse, with its name. */
  static final class Invalid extends RuntimeException {
    final String param;

    Invalid(String param, String message) {
      super(message);
      this.param = param;
    }
  }

  /** Whether the request asks for more than the all-time total. */
  boolean isReport() {
    return from != null || !groupBy.isEmpty();
  }

  /** The table the rows come from. */
  SpendTable table() {
    if (groupBy.contains("key")) {
      return SpendTable.KEY_DAY;
    }
    if (groupBy.contains("model") || groupBy.contains("provider")) {
      return SpendTable.MODEL_DAY;
    }
    return groupBy.contains("month") ? SpendTable.MONTH : SpendTable.DAY;
  }

  static UsageRequest parse(
      String from, String to, String groupBy, String format, LocalDate today) {
    Set<String> dims = new LinkedHashSet<>();
    if (groupBy != null && !groupBy.isBlank()) {
      for (String d : groupBy.split(",")) {
        String dim = d.trim();
        if (!DIMENSIONS.contains(dim)) {
          throw new Invalid(
              "group_by", "group_by: '" + dim + "' is not one of day, month, model, provider, key");
        }
        dims.add(dim);
      }
    }
    if (dims.contains("month") && dims.size() > 1) {
      throw new Invalid("group_by", "group_by: month cannot be combined with other dimensions");
    }
    if (dims.contains("key") && dims.contains("model")
        || dims.contains("key") && dims.contains("provider")) {
      throw new Invalid(
          "group_by", "group_by: key combines with day only (there is no key x model table)");
    }
    LocalDate end = to == null ? today : date(to, "to");
    LocalDate start =
        from == null
            ? (dims.isEmpty() && to == null ? null : end.minusDays(DEFAULT_DAYS - 1))
            : date(from, "from");
    if (start != null && start.isAfter(end)) {
      throw new Invalid("from", "from: must not be after to");
    }
    String f = format == null ? "json" : format;
    if (!List.of("json", "csv").contains(f)) {
      throw new Invalid("format", "format: must be json or csv");
    }
    return new UsageRequest(start, end, dims, f);
  }

  private static LocalDate date(String value, String param) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new Invalid(param, param + ": expected a date like 2026-11-22");
    }
  }
}
