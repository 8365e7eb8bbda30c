package com.example.modular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.runtime.NormLayer;
import org.junit.jupiter.api.Test;

/** Runs on the module path (surefire patches the tests into com.example.modular). */
class BlocksTest {
  @Test
  void everyClassIsInItsModule() {
    assertEquals("com.example.modular", BlocksNorm.class.getModule().getName());
    assertEquals("dev.normforge.runtime", NormLayer.class.getModule().getName());
    assertTrue(BlocksNorm.class.getModule().canRead(ModuleLayer.boot().findModule("jdk.incubator.vector").orElseThrow()));
  }

  @Test
  void deepNormUsesDeepNetsAlpha() {
    // decoder-only DeepNet: alpha = (2M)^(1/4), M = 6
    assertEquals(Math.pow(12, 0.25), new BlocksDeep().alpha(), 1e-12);
  }

  @Test
  void aRowOfZeroMeanAndUnitVariance() {
    NormLayer norm = new BlocksNorm();
    float[] x = new float[norm.hidden()];
    for (int j = 0; j < x.length; j++) {
      x[j] = j;
    }
    float[] y = new float[x.length];
    norm.forward(x, 0, y, 0, 1);
    // x = 0..31: mean 15.5, biased variance (32² - 1)/12
    double rstd = 1 / Math.sqrt((32.0 * 32 - 1) / 12 + 1e-5);
    for (int j = 0; j < x.length; j++) {
      assertEquals((j - 15.5) * rstd, y[j], 1e-5, "feature " + j);
    }
  }
}
