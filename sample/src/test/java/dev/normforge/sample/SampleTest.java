package dev.normforge.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.checkpoint.Checkpoint;
import dev.normforge.runtime.NamedTensor;
import dev.normforge.runtime.NormLayer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample was compiled by the processor through annotationProcessorPaths, as a user's project is: its
 * generated classes exist with the configured sizes, and they compute the right numbers.
 */
class SampleTest {
  @Test
  void generatedClassesHaveTheConfiguredShape() {
    NormLayer attention = new TinyGptAttentionNorm();
    assertEquals(768, attention.hidden());
    assertEquals(1e-6, attention.eps());
    assertTrue(attention.bias() == null, "RMS has no bias unless asked");
    NormLayer head = new TinyGptHeadNorm();
    assertEquals(100, head.hidden());
    assertTrue(head.bias() == null && head.weight() != null);
    assertTrue(new TinyGptFinalNorm().bias() != null);
  }

  @Test
  void generatedClassesMatchTheReference() {
    for (NormLayer norm : new NormLayer[] {new TinyGptAttentionNorm(), new TinyGptFinalNorm(), new TinyGptHeadNorm()}) {
      SampleMain.Result r = SampleMain.run(norm, norm.centered());
      assertTrue(r.forwardError() <= SampleMain.MAX_ERROR, norm + " forward error " + r.forwardError());
      assertTrue(r.backwardError() <= SampleMain.MAX_ERROR, norm + " backward error " + r.backwardError());
    }
  }

  @Test
  void batchNormMatchesTheReference() {
    SampleMain.Result r = SampleMain.runBatch(new TinyGptBatchNorm());
    assertTrue(r.forwardError() <= SampleMain.MAX_ERROR, "forward error " + r.forwardError());
    assertTrue(r.backwardError() <= SampleMain.MAX_ERROR, "backward error " + r.backwardError());
  }

  @Test
  void blockStacksRunForwardAndBackwardWithinTolerance() {
    assertTrue(BlockStacksMain.run(), "a block stack's error is out of bounds");
  }

  /** The model class: the checkpoint's weights arrive in the right sites, a step trains them, the save reloads. */
  @Test
  void theLlamaModelLoadsTrainsAndSavesItsNorms(@TempDir Path dir) throws IOException {
    Path trained = dir.resolve("trained.safetensors");
    assertTrue(LlamaMain.run(LlamaMain.CHECKPOINT, trained), "the Llama sample's error is out of bounds");

    Llama loaded = Llama.create();
    Checkpoint.load(LlamaMain.CHECKPOINT, loaded);
    // the fixture's first values (manifest.json, BF16 as stored) landed in the sites the names say
    assertEquals(1.1953125f, loaded.attention(0).weight().value()[0]);
    assertEquals(loaded.stateDict().get("model.layers.3.post_attention_layernorm.weight").value(),
        loaded.mlp(3).weight().value());
    Llama stepped = Llama.create();
    Checkpoint.load(trained, stepped);
    int changed = 0;
    for (NamedTensor t : loaded.stateDict()) {
      float[] after = stepped.stateDict().get(t.name()).value();
      for (int i = 0; i < t.size(); i++) {
        changed += after[i] != t.value()[i] ? 1 : 0;
      }
    }
    assertTrue(changed > 500, "the gradient step changed only " + changed + " of 576 weights");
    assertTrue(loaded.describe().contains("| `attention(int layer)` × 4 (decoderLayers = 4) "
        + "| `model.layers.{layer}.input_layernorm.weight` | RMS | PRE | 64 |"), loaded.describe());
  }
}
