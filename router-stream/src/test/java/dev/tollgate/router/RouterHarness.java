package dev.tollgate.router;

import dev.tollgate.core.serde.AvroSerdes;
import dev.tollgate.embedded.registry.InMemorySchemaRegistryClient;
import dev.tollgate.platform.governance.GatewayConfigView;
import dev.tollgate.router.health.HealthView;
import dev.tollgate.schemas.LlmReply;
import dev.tollgate.schemas.Topic;
import dev.tollgate.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The router topology on a {@link TopologyTestDriver}, with its topics typed as {@link Topics}. */
final class RouterHarness implements AutoCloseable {

  final Topics topics = Topics.standard();
  final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistryClient());
  final TopologyTestDriver driver;

  RouterHarness(
      GatewayConfigView config, HealthView health, RouterTopology.Checks checks, Instant start) {
    Properties props = new Properties();
    props.put("application.id", "router-test");
    props.put("bootstrap.servers", "unused:9092");
    driver =
        new TopologyTestDriver(
            RouterTopology.build(
                topics, config, serdes, health, checks, 1000, Duration.ofSeconds(1)),
            props,
            start);
  }

  <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<String, V> topic) {
    return driver.createInputTopic(
        topic.name(), Serdes.String().serializer(), serdes.on(topic).values());
  }

  /** {@code topic} written as bytes, as a client that is not Tollgate's may write it. */
  TestInputTopic<String, byte[]> rawInput(Topic<String, ?> topic) {
    return driver.createInputTopic(
        topic.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
  }

  <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<String, V> topic) {
    return driver.createOutputTopic(
        topic.name(), Serdes.String().deserializer(), serdes.on(topic).values());
  }

  /** The reply topic of {@code team}'s requests that name none. */
  TestOutputTopic<String, LlmReply> defaultReplies(String team) {
    return output(Topics.defaultReplyTopic(topics.teamReplyPrefix(team)));
  }

  @Override
  public void close() {
    driver.close();
  }
}
