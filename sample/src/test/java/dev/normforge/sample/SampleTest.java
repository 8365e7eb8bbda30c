package dev.normforge.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.runtime.NormLayer;
import org.junit.jupiter.api.Test;

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
}
