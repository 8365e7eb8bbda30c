package dev.normforge.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.runtime.NamedTensor;
import dev.normforge.runtime.NormModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save writes a valid safetensors file (F32, the header padded to 8 bytes with spaces, offsets
 * contiguous from 0 in the model's order, {@code format: pt}) that loads back bitwise, for parameters and
 * buffers, and replaces an existing file whole.
 */
class SaveTest {
  @TempDir
  Path dir;

  @Test
  void saveThenLoadGivesTheSameBits() throws IOException {
    BertNorms saved = NormforgeBertNorms.create();
    Fixtures.randomize(saved.stateDict(), 7);
    Path file = dir.resolve("bert.safetensors");
    Checkpoint.save(saved, file);
    BertNorms loaded = NormforgeBertNorms.create();
    LoadReport report = Checkpoint.load(file, loaded);
    assertEquals(Fixtures.bits(saved.stateDict()), Fixtures.bits(loaded.stateDict()));
    assertEquals(List.of(), report.skipped());
    assertEquals(saved.bn().runningMean()[5], loaded.bn().runningMean()[5], "buffers round-trip too");
  }

  @Test
  void theSavedFileIsValidSafetensors() throws IOException {
    LlamaNorms model = LlamaNorms.create();
    Checkpoint.load(Fixtures.file("llama_norms_bf16.safetensors"), model);
    Path file = dir.resolve("llama.safetensors");
    Checkpoint.save(model, file);

    byte[] bytes = Files.readAllBytes(file);
    long length = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, (8 + length) % 8, "the data starts at a multiple of 8");
    String header = new String(bytes, 8, (int) length, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"model.layers.0.input_layernorm.weight\":"
        + "{\"dtype\":\"F32\",\"shape\":[64],\"data_offsets\":[0,256]}"), header);
    assertTrue(header.strip().endsWith("}") && header.length() - header.strip().length() < 8, "padded with spaces");

    SafetensorsHeader parsed = SafetensorsHeader.read(file);
    assertEquals(Map.of("format", "pt"), parsed.metadata());
    assertEquals(8 + length, parsed.dataStart());
    List<String> names = List.copyOf(model.stateDict().names());
    assertEquals(names, parsed.tensors().stream().map(TensorInfo::name).toList(), "the model's order");
    long offset = 0;
    for (TensorInfo t : parsed.tensors()) {
      assertEquals(Dtype.F32, t.dtype());
      assertEquals(offset, t.begin(), t.name() + " starts where the one before it ends");
      offset = t.end();
      NamedTensor tensor = model.stateDict().get(t.name());
      ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + length + t.begin()), (int) (t.end() - t.begin()))
          .slice().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < tensor.size(); i++) {
        assertEquals(Float.floatToRawIntBits(tensor.value()[i]), Float.floatToRawIntBits(data.getFloat(4 * i)),
            t.name() + "[" + i + "] little-endian F32");
      }
    }
    assertEquals(bytes.length, 8 + length + offset, "nothing after the last tensor");
  }

  @Test
  void aSaveReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Files.writeString(file, "an old and much longer file ".repeat(1000));
    NormModule model = LlamaNorms.create();
    Checkpoint.save(model, file);
    Checkpoint.load(file, LlamaNorms.create());
    try (var listing = Files.list(dir)) {
      assertEquals(List.of(file), listing.toList());
    }
  }
}
