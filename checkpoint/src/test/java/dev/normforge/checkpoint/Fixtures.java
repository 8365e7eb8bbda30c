package dev.normforge.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.normforge.runtime.NamedTensor;
import dev.normforge.runtime.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The checkpoint fixtures (written by Python's {@code safetensors}, copied from the project's shared goldens
 * into the test resources with {@code gen.py} and {@code manifest.json}), hand-made files, and bitwise
 * snapshots of a model's tensors.
 */
final class Fixtures {
  private Fixtures() {}

  /** The fixture {@code name} ({@code llama_norms_bf16.safetensors}). */
  static Path file(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/checkpoints/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new AssertionError("no test resource checkpoints/" + name, e);
    }
  }

  /** The manifest's entry for {@code file}: each tensor's dtype, shape, first values and sum. */
  static JsonObject manifest(String file) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/checkpoints/manifest.json")) {
      JsonElement all = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return all.getAsJsonObject().getAsJsonObject(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a safetensors file by hand: the 8-byte length of {@code header}, the header, then {@code data}. */
  static Path handMade(Path dir, String name, String header, byte[] data) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json).put(data);
    Path file = dir.resolve(name);
    Files.write(file, b.array());
    return file;
  }

  /** {@code count} floats, little-endian. */
  static byte[] floats(int count, float value) {
    ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      b.putFloat(value);
    }
    return b.array();
  }

  /** Sets every value of every tensor to distinct random numbers, so that any change shows. */
  static void randomize(StateDict state, long seed) {
    Random random = new Random(seed);
    for (NamedTensor t : state) {
      for (int i = 0; i < t.size(); i++) {
        t.value()[i] = (float) random.nextGaussian();
      }
    }
  }

  /** The bits of every value of every tensor, in order: compare two with {@code assertEquals}. */
  static List<List<Integer>> bits(StateDict state) {
    List<List<Integer>> all = new ArrayList<>();
    for (NamedTensor t : state) {
      List<Integer> bits = new ArrayList<>(t.size());
      for (float v : t.value()) {
        bits.add(Float.floatToRawIntBits(v));
      }
      all.add(bits);
    }
    return all;
  }
}
