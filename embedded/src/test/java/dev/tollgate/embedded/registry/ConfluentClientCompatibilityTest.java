package dev.tollgate.embedded.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.serde.AvroSerde;
import dev.tollgate.core.serde.HttpSchemaRegistryClient;
import dev.tollgate.schemas.TokenUsage;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaMetadata;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumReader;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord;
import org.apache.flink.avro.shaded.org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Confluent's own registry client (as relocated inside Flink's jar) against the embedded registry:
 * it registers, looks up, and decodes what Tollgate's serde wrote.
 */
class ConfluentClientCompatibilityTest {

  private static Vertx vertx;
  private static EmbeddedSchemaRegistry registry;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    registry = EmbeddedSchemaRegistry.startInMemory(vertx, "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
    vertx.close();
  }

  @Test
  void confluentClientRegistersAndReadsSchemas() throws Exception {
    CachedSchemaRegistryClient confluent = new CachedSchemaRegistryClient(registry.url(), 10);
    AvroSchema schema =
        new AvroSchema(
            "{\"type\":\"record\",\"name\":\"Ping\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}");

    int id = confluent.register("ping-value", schema);

    assertThat(confluent.getSchemaById(id).canonicalString()).isEqualTo(schema.canonicalString());
    SchemaMetadata latest = confluent.getLatestSchemaMetadata("ping-value");
    assertThat(latest.getId()).isEqualTo(id);
    assertThat(latest.getVersion()).isEqualTo(1);
    assertThat(confluent.getAllSubjects()).contains("ping-value");
    assertThat(confluent.testCompatibility("ping-value", schema)).isTrue();
  }

  @Test
  void confluentClientDecodesWhatTollgateWrote() throws Exception {
    AvroSerde<TokenUsage> tollgate =
        new AvroSerde<>(new HttpSchemaRegistryClient(registry.url()), TokenUsage.class);
    byte[] bytes =
        tollgate.serialize(
            "usage-events", TokenUsage.newBuilder().setInputTokens(12).setOutputTokens(5).build());

    // What a Confluent deserializer does: magic byte, schema id, writer schema from the registry.
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    assertThat(buffer.get()).isZero();
    int id = buffer.getInt();
    CachedSchemaRegistryClient confluent = new CachedSchemaRegistryClient(registry.url(), 10);
    AvroSchema writer = (AvroSchema) confluent.getSchemaById(id);
    GenericRecord record =
        new GenericDatumReader<GenericRecord>(writer.rawSchema())
            .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

    assertThat(record.get("input_tokens")).isEqualTo(12L);
    assertThat(record.get("output_tokens")).isEqualTo(5L);
    assertThat(confluent.getAllSubjectsById(id)).contains("usage-events-value");
  }
}
