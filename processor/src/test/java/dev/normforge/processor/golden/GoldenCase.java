package dev.normforge.processor.golden;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One golden case file (see {@code processor/src/test/resources/golden/README.md}): its configuration,
 * float32 inputs and float64 outputs. Arrays are flat and row-major.
 */
public final class GoldenCase {
  /** The system property naming another case directory; a relative path is taken from the repository root. */
  public static final String DIRECTORY_PROPERTY = "normforge.golden";

  private final Path file;
  private final JsonObject json;

  private GoldenCase(Path file, JsonObject json) {
    this.file = file;
    this.json = json;
  }

  /**
   * Where the cases are: {@code -Dnormforge.golden=DIR} when given (CI passes {@code ../shared/golden/cases}),
   * resolved against the repository root ({@code normforge.root}) when relative; otherwise the repository's
   * own copy, {@code golden/cases} on the test class path.
   */
  public static Path directory() {
    String named = System.getProperty(DIRECTORY_PROPERTY, "");
    if (named.isBlank()) {
      try {
        return Path.of(GoldenCase.class.getResource("/golden/cases").toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    Path dir = Path.of(named);
    String root = System.getProperty("normforge.root");
    return (!dir.isAbsolute() && root != null ? Path.of(root).resolve(dir) : dir).normalize();
  }

  /** Reads {@code file}. */
  public static GoldenCase read(Path file) {
    try {
      return new GoldenCase(file, JsonParser.parseString(Files.readString(file)).getAsJsonObject());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the file is a case (it has an {@code op}) rather than a table such as the DeepNet constants. */
  public boolean isCase() {
    return json.has("op");
  }

  public Path file() {
    return file;
  }

  public String name() {
    return json.has("name") ? json.get("name").getAsString() : file.getFileName().toString();
  }

  public String op() {
    return json.get("op").getAsString();
  }

  public int rows() {
    return json.get("rows").getAsInt();
  }

  public int hidden() {
    return json.get("hidden").getAsInt();
  }

  public double eps() {
    return json.get("eps").getAsDouble();
  }

  public boolean affine() {
    return !json.has("affine") || json.get("affine").getAsBoolean();
  }

  public boolean bias() {
    return json.has("bias") ? json.get("bias").getAsBoolean() : affine();
  }

  /** A string attribute, e.g. {@code norm} or {@code placement} of a residual block. */
  public String string(String key) {
    return json.get(key).getAsString();
  }

  /** Whether the case has the attribute {@code key}. */
  public boolean has(String key) {
    return json.has(key);
  }

  /** A number attribute, e.g. {@code alpha} or {@code momentum}; {@code fallback} when absent. */
  public double number(String key, double fallback) {
    return json.has(key) ? json.get(key).getAsDouble() : fallback;
  }

  public boolean hasInput(String key) {
    return json.getAsJsonObject("inputs").has(key);
  }

  public boolean hasOutput(String key) {
    return json.getAsJsonObject("outputs").has(key);
  }

  /** An input array, as the float32 values it holds. */
  public float[] input(String key) {
    JsonArray a = section("inputs", key);
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsFloat();
    }
    return out;
  }

  /** An output array, the float64 answer. */
  public double[] output(String key) {
    JsonArray a = section("outputs", key);
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonElement e = a.get(i);
      out[i] = e.getAsDouble();
    }
    return out;
  }

  private JsonArray section(String section, String key) {
    JsonObject s = json.getAsJsonObject(section);
    if (!s.has(key)) {
      throw new AssertionError(name() + ": no " + section + "." + key);
    }
    return s.getAsJsonArray(key);
  }

  /** A Java identifier for the model description written for this case. */
  public String modelName() {
    return "Golden_" + name().replaceAll("[^A-Za-z0-9]", "_");
  }

  @Override
  public String toString() {
    return name();
  }
}
