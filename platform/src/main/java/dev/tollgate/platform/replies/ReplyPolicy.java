package dev.tollgate.platform.replies;

import dev.tollgate.schemas.TeamConfig;
import dev.tollgate.schemas.Topics;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Where a team's request may be answered. A backend job's {@code reply_to} must start with its
 * team's reply prefix ({@code llm-replies-<team>-} unless the team's config names another); an
 * empty one means the team's default reply topic, {@code <prefix>default}. A request a Tollgate
 * service vouched for (ingest-api, the batch runner) may also be answered on that service's own
 * reply topics. No request is ever answered on one of Tollgate's internal topics. The router checks
 * this before routing; a refused request's error goes only to the dead-letter topic.
 */
public final class ReplyPolicy {

  private final Topics topics;

  public ReplyPolicy(Topics topics) {
    this.topics = topics;
  }

  /** The outcome: the topic to answer on, or why none may be. */
  public record Verdict(String topic, String refusal) {
    public boolean allowed() {
      return refusal == null;
    }
  }

  /** The reply prefix of {@code team}: its config's, or {@code llm-replies-<team>-}. */
  public String prefixOf(String team, Optional<TeamConfig> config) {
    return config
        .map(TeamConfig::getReplyTopicPrefix)
        .filter(p -> p != null && !p.isBlank())
        .orElseGet(() -> topics.teamReplyPrefix(team));
  }

  /**
   * Where the reply to {@code team}'s request naming {@code replyTo} goes.
   *
   * @param vouched whether a Tollgate service vouched for the request (it may name that service's
   *     reply topics)
   */
  public Verdict check(String team, Optional<TeamConfig> config, boolean vouched, String replyTo) {
    String prefix = prefixOf(team, config);
    if (replyTo == null || replyTo.isBlank()) {
      return new Verdict(Topics.defaultReplyTopic(prefix).name(), null);
    }
    try {
      Topic.validate(replyTo);
    } catch (InvalidTopicException e) {
      return refused("reply_to '" + printable(replyTo) + "' is not a legal topic name");
    }
    if (vouched && topics.isServiceReplyTopic(replyTo)) {
      return new Verdict(replyTo, null);
    }
    if (topics.isInternal(replyTo) || !replyTo.startsWith(prefix)) {
      return refused(
          "reply_to '"
              + replyTo
              + "' is not one of team '"
              + team
              + "''s reply topics (they start with '"
              + prefix
              + "')");
    }
    return new Verdict(replyTo, null);
  }

  /**
   * Why {@code prefix} cannot be a team's reply prefix (not topic-safe, or covering an internal
   * topic), or empty if it can.
   */
  public Optional<String> prefixProblem(String prefix) {
    try {
      Topic.validate(prefix);
    } catch (InvalidTopicException e) {
      return Optional.of("'" + printable(prefix) + "' is not a legal topic name prefix");
    }
    if (topics.coversInternal(prefix)) {
      return Optional.of("'" + prefix + "' covers or falls among Tollgate's own topics");
    }
    return Optional.empty();
  }

  private static Verdict refused(String why) {
    return new Verdict(null, why);
  }

  private static String printable(String raw) {
    String cut = raw.length() > 80 ? raw.substring(0, 80) + "..." : raw;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
