package dev.tollgate.router;

import dev.tollgate.platform.catalog.ModelCatalog;
import dev.tollgate.platform.replies.Replies;
import dev.tollgate.platform.serde.AvroSerdes;
import dev.tollgate.platform.streams.Addressed;
import dev.tollgate.platform.streams.DecodeProcessor;
import dev.tollgate.platform.streams.Decoded;
import dev.tollgate.router.health.HealthView;
import dev.tollgate.schemas.DeadLetter;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.LlmRequest;
import dev.tollgate.schemas.RoutedRequest;
import dev.tollgate.schemas.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The router: decides, per request, which provider serves it.
 *
 * <ul>
 *   <li>in: {@code llm-requests} (key: team id, value: {@link LlmRequest})
 *   <li>out: {@code llm-requests-<provider>} (key: request id, value: {@link RoutedRequest})
 *   <li>out: the request's reply topic (key: request id, value: {@link LlmReply}) for requests
 *       refused before routing (unknown model, invalid, past deadline)
 *   <li>out: {@code llm-requests-dlq} (key: source key, value: {@link DeadLetter}) for records that
 *       do not decode
 * </ul>
 */
public final class RouterTopology {

  public static final String SERVICE = "router";
  public static final String APPLICATION_ID = "tollgate-router";

  private RouterTopology() {}

  public static Topology build(
      Topics topics, ModelCatalog catalog, AvroSerdes serdes, HealthView health) {
    StreamsBuilder builder = new StreamsBuilder();
    RoutingPolicy policy = new RoutingPolicy(catalog, health);

    Map<String, KStream<String, Decoded<LlmRequest>>> decoded =
        builder.stream(
                topics.requests().name(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("requests"))
            .processValues(
                () -> new DecodeProcessor<>(SERVICE, serdes.of(LlmRequest.class)),
                Named.as("decode-request"))
            .split(Named.as("request-"))
            .branch((key, value) -> !value.isOk(), Branched.as("poison"))
            .defaultBranch(Branched.as("ok"));

    decoded
        .get("request-poison")
        .mapValues(Decoded::deadLetter, Named.as("to-dead-letter"))
        .to(
            topics.deadLetters().name(),
            Produced.with(Serdes.String(), serdes.of(DeadLetter.class)).withName("dead-letters"));

    Map<String, KStream<String, RouteDecision>> decisions =
        decoded
            .get("request-ok")
            .mapValues(Decoded::value, Named.as("decoded-request"))
            .processValues(() -> new RouteProcessor(policy), Named.as("route"))
            .split(Named.as("decision-"))
            .branch(
                (team, decision) -> decision instanceof RouteDecision.Routed, Branched.as("routed"))
            .defaultBranch(Branched.as("rejected"));

    decisions
        .get("decision-routed")
        .map(
            (team, decision) -> toProvider((RouteDecision.Routed) decision, topics),
            Named.as("key-routed"))
        .to(
            Addressed.extractor(),
            Produced.with(Serdes.String(), Addressed.serde(serdes.of(RoutedRequest.class)))
                .withName("provider-requests"));

    decisions
        .get("decision-rejected")
        .map(
            (team, decision) -> toReply((RouteDecision.Rejected) decision, topics),
            Named.as("key-rejected"))
        .to(
            Addressed.extractor(),
            Produced.with(Serdes.String(), Addressed.serde(serdes.of(LlmReply.class)))
                .withName("rejections"));

    return builder.build();
  }

  private static KeyValue<String, Addressed<RoutedRequest>> toProvider(
      RouteDecision.Routed routed, Topics topics) {
    RoutedRequest request = routed.request();
    return KeyValue.pair(
        request.getRequest().getRequestId(),
        new Addressed<>(topics.providerRequests(routed.provider()).name(), request));
  }

  private static KeyValue<String, Addressed<LlmReply>> toReply(
      RouteDecision.Rejected rejected, Topics topics) {
    return KeyValue.pair(
        rejected.reply().getRequestId(),
        new Addressed<>(Replies.topicOf(rejected.request(), topics).name(), rejected.reply()));
  }
}
