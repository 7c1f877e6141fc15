package dev.tollgate.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tollgate's configuration: a YAML tree (from a file), with scalar values overridable from the
 * environment and from the command line. Keys are dotted paths such as {@code kafka.bootstrap-
 * servers}; the environment variable for a key is {@code TOLLGATE_} plus the key in upper case with
 * dots and dashes as underscores ({@code TOLLGATE_KAFKA_BOOTSTRAP_SERVERS}).
 *
 * <p>Precedence, highest first: overrides, environment, file, the caller's default. Every getter
 * that fails names the key, so a bad value stops a service with a message a human can act on.
 *
 * <p>A value may refer to a secret kept elsewhere, as Kafka's config providers do: {@code
 * ${env:NAME}} is the environment variable {@code NAME}, {@code ${file:/path}} the content of a
 * file (trimmed), and {@code ${file:/path:key}} the property {@code key} of a properties file. The
 * secret is read when the value is, so it never sits in the config file itself.
 */
public final class Settings {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");

  private final JsonNode tree;
  private final Map<String, String> env;
  private final Map<String, String> overrides;

  private Settings(JsonNode tree, Map<String, String> env, Map<String, String> overrides) {
    this.tree = tree;
    this.env = Map.copyOf(env);
    this.overrides = Map.copyOf(overrides);
  }

  /** Settings from a YAML file (if given) and the process environment. */
  public static Settings load(Optional<Path> file) {
    JsonNode tree = YAML.createObjectNode();
    if (file.isPresent()) {
      try (InputStream in = Files.newInputStream(file.get())) {
        tree = orEmpty(YAML.readTree(in));
      } catch (IOException e) {
        throw new ConfigException(
            "cannot read config file " + file.get() + ": " + e.getMessage(), e);
      }
    }
    return new Settings(tree, System.getenv(), Map.of());
  }

  /** Settings from YAML text and an explicit environment; for tests and embedded use. */
  public static Settings of(String yaml, Map<String, String> env) {
    try {
      return new Settings(orEmpty(YAML.readTree(yaml)), env, Map.of());
    } catch (IOException e) {
      throw new ConfigException("cannot parse config: " + e.getMessage(), e);
    }
  }

  /** Empty settings: every getter returns its default. */
  public static Settings empty() {
    return new Settings(YAML.createObjectNode(), Map.of(), Map.of());
  }

  /** A copy with {@code key} set to {@code value}, above file and environment. */
  public Settings with(String key, String value) {
    Map<String, String> next = new HashMap<>(overrides);
    next.put(key, value);
    return new Settings(tree, env, next);
  }

  /** The environment variable {@code name} of the process these settings were loaded in. */
  public Optional<String> environment(String name) {
    return Optional.ofNullable(env.get(name));
  }

  /** A copy with {@code key} set to {@code value} unless the environment or file sets it. */
  public Settings withDefault(String key, String value) {
    return find(key).isPresent() ? this : with(key, value);
  }

  public static String envName(String key) {
    return "TOLLGATE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  public Optional<String> find(String key) {
    String value = overrides.get(key);
    if (value == null) {
      value = env.get(envName(key));
    }
    if (value == null) {
      JsonNode node = node(key);
      if (!node.isMissingNode() && !node.isNull()) {
        if (!node.isValueNode()) {
          throw new ConfigException(key + ": expected a single value, found " + node.getNodeType());
        }
        value = node.asText();
      }
    }
    return Optional.ofNullable(value)
        .map(v -> resolve(key, v))
        .map(String::trim)
        .filter(v -> !v.isEmpty());
  }

  /**
   * Every key under {@code prefix} with its value, the prefix and its dot taken off: for sections
   * that pass arbitrary properties on (Kafka client properties under {@code kafka.properties}). In
   * the file, nested mappings join with dots ({@code sasl: {mechanism: PLAIN}} is {@code
   * sasl.mechanism}); in the environment, {@code TOLLGATE_KAFKA_PROPERTIES_SASL_MECHANISM} is
   * {@code sasl.mechanism} (lower case, underscores as dots).
   */
  public Map<String, String> properties(String prefix) {
    Map<String, String> found = new TreeMap<>();
    flatten(node(prefix), "", found);
    String envPrefix = envName(prefix) + "_";
    env.forEach(
        (name, value) -> {
          if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
            found.put(
                name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                value);
          }
        });
    overrides.forEach(
        (key, value) -> {
          if (key.startsWith(prefix + ".")) {
            found.put(key.substring(prefix.length() + 1), value);
          }
        });
    Map<String, String> resolved = new TreeMap<>();
    found.forEach((key, value) -> resolved.put(key, resolve(prefix + "." + key, value).trim()));
    return resolved;
  }

  private static void flatten(JsonNode node, String path, Map<String, String> into) {
    if (node.isValueNode()) {
      if (!path.isEmpty() && !node.isNull()) {
        into.put(path, node.asText());
      }
      return;
    }
    node.fields()
        .forEachRemaining(
            field ->
                flatten(
                    field.getValue(),
                    path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
                    into));
  }

  /** {@code raw} with its secret references read. */
  private String resolve(String key, String raw) {
    Matcher m = REFERENCE.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(reference(key, m.group(1), m.group(2))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String reference(String key, String kind, String target) {
    if (kind.equals("env")) {
      String value = env.get(target);
      if (value == null) {
        throw new ConfigException(key + ": refers to ${env:" + target + "}, which is not set");
      }
      return value;
    }
    int colon = target.lastIndexOf(':');
    Path file = Path.of(colon > 0 ? target.substring(0, colon) : target);
    try {
      if (colon <= 0) {
        return Files.readString(file).trim();
      }
      Properties props = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        props.load(in);
      }
      String name = target.substring(colon + 1);
      String value = props.getProperty(name);
      if (value == null) {
        throw new ConfigException(key + ": " + file + " has no property '" + name + "'");
      }
      return value;
    } catch (IOException e) {
      // The message names the file, never what was in it.
      throw new ConfigException(
          key + ": cannot read " + file + ": " + e.getClass().getSimpleName());
    }
  }

  public String string(String key) {
    return find(key).orElseThrow(() -> new ConfigException(key + ": required but not set"));
  }

  public String string(String key, String fallback) {
    return find(key).orElse(fallback);
  }

  public int intValue(String key, int fallback) {
    return parse(key, Integer::parseInt, "an integer").orElse(fallback);
  }

  public long longValue(String key, long fallback) {
    return parse(key, Long::parseLong, "an integer").orElse(fallback);
  }

  public boolean bool(String key, boolean fallback) {
    return parse(key, Settings::parseBoolean, "true or false").orElse(fallback);
  }

  /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m} or {@code 1h}. */
  public Duration duration(String key, Duration fallback) {
    return parse(key, Settings::parseDuration, "a duration like 250ms, 30s, 5m").orElse(fallback);
  }

  /** The subtree at {@code key} (for structured sections bound by their owners), or empty. */
  public JsonNode section(String key) {
    JsonNode node = node(key);
    return node.isMissingNode() || node.isNull() ? NullNode.getInstance() : node;
  }

  /** Binds the subtree at {@code key} to {@code type}, naming the key on failure. */
  public <T> Optional<T> bind(String key, Class<T> type) {
    JsonNode node = section(key);
    if (node.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(YAML.treeToValue(node, type));
    } catch (IOException e) {
      throw new ConfigException(key + ": " + e.getMessage(), e);
    }
  }

  private <T> Optional<T> parse(String key, Function<String, T> parser, String expected) {
    Optional<String> raw = find(key);
    try {
      return raw.map(parser);
    } catch (RuntimeException e) {
      throw new ConfigException(key + ": expected " + expected + ", got '" + raw.get() + "'", e);
    }
  }

  private JsonNode node(String key) {
    JsonNode node = tree;
    for (String part : key.split("\\.")) {
      node = node.path(part);
      if (node.isMissingNode()) {
        return MissingNode.getInstance();
      }
    }
    return node;
  }

  private static JsonNode orEmpty(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull()
        ? YAML.createObjectNode()
        : requireObject(node);
  }

  private static ObjectNode requireObject(JsonNode node) {
    if (!node.isObject()) {
      throw new ConfigException("config file: expected a mapping at the top level");
    }
    return (ObjectNode) node;
  }

  private static boolean parseBoolean(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException(raw);
    };
  }

  static Duration parseDuration(String raw) {
    Matcher m = DURATION.matcher(raw.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(raw);
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException(raw);
    };
  }
}
