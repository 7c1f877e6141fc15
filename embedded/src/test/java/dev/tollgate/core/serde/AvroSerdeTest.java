package dev.tollgate.core.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.embedded.registry.InMemorySchemaRegistryClient;
import dev.tollgate.schemas.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerde<TokenUsage> serde = new AvroSerde<>(registry, TokenUsage.class);

  @Test
  void writesTheConfluentWireFormatAndReadsItBack() {
    TokenUsage usage = TokenUsage.newBuilder().setInputTokens(7).setOutputTokens(3).build();

    byte[] bytes = serde.serialize("usage-events", usage);

    assertThat(bytes[0]).isEqualTo((byte) 0);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    assertThat(registry.schemaById(id)).isEqualTo(TokenUsage.getClassSchema());
    assertThat(serde.deserialize("usage-events", bytes)).isEqualTo(usage);
  }

  @Test
  void readsRecordsWrittenWithAnOlderSchema() throws IOException {
    Schema v1 =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "TokenUsage", "namespace": "dev.tollgate.schemas",
                 "fields": [{"name": "input_tokens", "type": "long"},
                            {"name": "output_tokens", "type": "long"}]}
                """);
    int id = registry.register("old-value", v1);
    GenericRecord old = new GenericData.Record(v1);
    old.put("input_tokens", 11L);
    old.put("output_tokens", 4L);

    TokenUsage read = serde.deserialize("old", wire(id, v1, old));

    assertThat(read.getInputTokens()).isEqualTo(11);
    assertThat(read.getOutputTokens()).isEqualTo(4);
    assertThat(read.getReasoningTokens()).isZero();
  }

  @Test
  void refusesWhatIsNotTheWireFormat() {
    assertThatThrownBy(() -> serde.deserialize("t", "{\"json\": true}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte");
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {0, 0, 0, 0, 42, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown writer schema id 42");
    byte[] truncated =
        serde.serialize("t", TokenUsage.newBuilder().setInputTokens(1L << 40).build());
    assertThatThrownBy(() -> serde.deserialize("t", java.util.Arrays.copyOf(truncated, 7)))
        .isInstanceOf(SerializationException.class);
  }

  static byte[] wire(int id, Schema schema, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
