package dev.normforge.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.runtime.NormModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way a load fails: the file does not fit the model (missing, unexpected, another shape, a dtype that
 * does not read as float) or is not valid safetensors (truncated, a corrupt header, offsets that overlap or
 * leave holes, data of the wrong size). Each is a {@link CheckpointException} naming the tensor, and the
 * model is bitwise unchanged: its values were set at random first, so a partial load would show.
 */
class LoadErrorsTest {
  @TempDir
  Path dir;

  private static final String LLAMA = "llama_norms_f32.safetensors";

  /** Loads {@code file} into {@code model} expecting a failure; asserts nothing changed; returns the problems. */
  private static List<String> failsUnchanged(Path file, NormModule model) {
    Fixtures.randomize(model.stateDict(), 42);
    List<List<Integer>> before = Fixtures.bits(model.stateDict());
    CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, model));
    assertEquals(before, Fixtures.bits(model.stateDict()), "the model changed although the load failed");
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    return e.problems();
  }

  @Test
  void missingTensorsAreErrorsNamingEachOne() {
    List<String> problems = failsUnchanged(Fixtures.file(LLAMA), NormforgeOtherLlamasSixLayers.create());
    assertEquals(List.of(
        "missing tensor model.layers.4.input_layernorm.weight: the model has it (shape [64]), the file does not",
        "missing tensor model.layers.5.input_layernorm.weight: the model has it (shape [64]), the file does not",
        "missing tensor model.layers.4.post_attention_layernorm.weight: the model has it (shape [64]), the file does not",
        "missing tensor model.layers.5.post_attention_layernorm.weight: the model has it (shape [64]), the file does not"),
        problems);
  }

  @Test
  void unexpectedTensorsAreErrorsUnlessIgnored() throws IOException {
    List<String> problems = failsUnchanged(Fixtures.file(LLAMA), NormforgeOtherLlamasTwoLayers.create());
    assertEquals(4, problems.size(), problems.toString());
    assertEquals("unexpected tensor model.layers.2.input_layernorm.weight (F32 [64]): the model has no tensor of that "
        + "name; load with UnexpectedTensors.IGNORE to skip such tensors", problems.get(0));

    NormModule model = NormforgeOtherLlamasTwoLayers.create();
    LoadReport report = Checkpoint.load(Fixtures.file(LLAMA), model, UnexpectedTensors.IGNORE);
    assertEquals(5, report.loaded().size());
    assertEquals(List.of("model.layers.2.input_layernorm.weight", "model.layers.2.post_attention_layernorm.weight",
        "model.layers.3.input_layernorm.weight", "model.layers.3.post_attention_layernorm.weight"), report.skipped());
    assertEquals(1.1926915645599365, model.stateDict().get("model.layers.0.input_layernorm.weight").value()[0]);
  }

  @Test
  void aShapeMismatchNamesTheTensorAndBothShapes() {
    assertEquals(List.of("tensor model.norm.weight: shape [64] in the file, [32] in the model"),
        failsUnchanged(Fixtures.file(LLAMA), NormforgeOtherLlamasNarrowHead.create()));
  }

  @Test
  void aDtypeThatDoesNotReadAsFloatIsAnError() throws IOException {
    Path file = Fixtures.handMade(dir, "i64.safetensors",
        "{\"model.norm.weight\":{\"dtype\":\"I64\",\"shape\":[64],\"data_offsets\":[0,512]}}", new byte[512]);
    List<String> problems = failsUnchanged(file, NormforgeOtherLlamasTwoLayers.create());
    assertTrue(problems.contains("tensor model.norm.weight: dtype I64 does not read as float (F32, F16 and BF16 do)"),
        problems.toString());
    assertTrue(problems.contains("missing tensor model.layers.0.input_layernorm.weight: the model has it (shape [64]), "
        + "the file does not"), "every problem is listed, not only the first");
  }

  @Test
  void theTruncatedFixtureIsAnError() {
    assertEquals(List.of("truncated: the tensors' data ends at byte 2304 of the data section, but the file holds 2204 "
        + "bytes of data"), failsUnchanged(Fixtures.file("truncated.safetensors"), LlamaNorms.create()));
  }

  @Test
  void theCorruptHeaderFixtureIsAnError() {
    assertEquals(List.of("corrupt header: the header length 1000000000 points past the end of the file (200 bytes)"),
        failsUnchanged(Fixtures.file("corrupt_header.safetensors"), LlamaNorms.create()));
  }

  @Test
  void aFileShorterThanItsLengthFieldIsAnError() throws IOException {
    Path file = dir.resolve("tiny.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertEquals(List.of("truncated: 3 bytes, but a safetensors file starts with an 8-byte header length"),
        failsUnchanged(file, LlamaNorms.create()));
  }

  @Test
  void aHeaderThatIsNotUtf8IsAnError() throws IOException {
    Path file = dir.resolve("latin1.safetensors");
    Files.write(file, new byte[] {2, 0, 0, 0, 0, 0, 0, 0, '{', (byte) 0xff});
    assertEquals(List.of("corrupt header: not UTF-8"), failsUnchanged(file, LlamaNorms.create()));
  }

  @Test
  void aMissingFileIsAnIoException() {
    assertThrows(NoSuchFileException.class, () -> Checkpoint.load(dir.resolve("none.safetensors"), LlamaNorms.create()));
  }

  /** A corrupt header: the header text, the data's length, and the problem it must report. */
  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', value = {
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]} | 8 | corrupt header: not valid JSON",
      "[1, 2] | 0 | corrupt header: not a JSON object",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},} | 8 | corrupt header: not valid JSON",
      "{'a':{'dtype':'F32','shape':[2],'data_offsets':[0,8]}} | 8 | corrupt header: not valid JSON",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} {} | 8 | corrupt header: not valid JSON",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}"
          + " | 16 | corrupt header: the name a appears twice",
      "{\"a\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}} | 8 | corrupt header: tensor a: dtype \"F33\" is not a safetensors dtype normforge knows",
      "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}} | 8 | corrupt header: tensor a: no dtype",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}} | 8 | corrupt header: tensor a: shape holds -2, a negative number",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}} | 8 | corrupt header: tensor a: shape holds 2.5, not an integer",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}} | 8 | corrupt header: tensor a: data_offsets is not an array of 2 integers",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}} | 8 | corrupt header: tensor a: data_offsets [8, 0] end before they begin",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}} | 12 | corrupt header: tensor a: data_offsets [0, 12] hold 12 bytes, but F32 [2] needs 8",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"
          + " | 12 | corrupt header: tensor b: its data starts at byte 4 of the data section, but the tensor before it, a, ends at 8 (overlapping tensors or a hole)",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}"
          + " | 20 | corrupt header: tensor b: its data starts at byte 12 of the data section, but the tensor before it, a, ends at 8 (overlapping tensors or a hole)",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}} | 12 | corrupt header: tensor a: its data starts at byte 4 of the data section, but the first tensor must start at 0",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} | 12 | corrupt: 4 bytes after the last tensor's data",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} | 6 | truncated: the tensors' data ends at byte 8 of the data section, but the file holds 6 bytes of data",
      "{\"__metadata__\":{\"format\":3},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} | 8 | corrupt header: __metadata__ is not an object of strings (at format)",
      "{\"a\":[1]} | 0 | corrupt header: tensor a: not an object with dtype, shape and data_offsets",
      "{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904, 4],\"data_offsets\":[0,8]}} | 8 | corrupt header: tensor a: shape [4611686018427387904, 4] is too large",
  })
  void aCorruptHeaderIsAnError(String header, int dataBytes, String problem) throws IOException {
    Path file = Fixtures.handMade(dir, "bad.safetensors", header, new byte[dataBytes]);
    List<String> problems = failsUnchanged(file, NormforgeOtherLlamasTwoLayers.create());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(problem), problems.get(0));
  }
}
