package dev.tollgate.platform.governance;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The names of budget and reporting periods: a day ({@code 2026-11-22}) or month ({@code 2026-11})
 * in a team's time zone, an hour in UTC ({@code 2026-11-22T10}). The router's budgets and the
 * aggregator's tables name periods the same way, so they agree on when a day ends.
 */
public final class Periods {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd");
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM");
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH");

  private Periods() {}

  public static String day(Instant at, ZoneId zone) {
    return DAY.format(at.atZone(zone));
  }

  public static String month(Instant at, ZoneId zone) {
    return MONTH.format(at.atZone(zone));
  }

  public static String hourUtc(Instant at) {
    return HOUR.format(at.atZone(ZoneOffset.UTC));
  }

  /** When the day {@code day} ({@code 2026-11-22}) ends in {@code zone}. */
  public static Instant endOfDay(String day, ZoneId zone) {
    return LocalDate.parse(day).plusDays(1).atStartOfDay(zone).toInstant();
  }

  /** When the month {@code month} ({@code 2026-11}) ends in {@code zone}. */
  public static Instant endOfMonth(String month, ZoneId zone) {
    return YearMonth.parse(month).plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
  }
}
