package dev.normforge.processor.block;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.normforge.processor.testing.TanhSublayer;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.ResidualBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Finite differences against every block kind's backward, for x, every parameter of the norms, and the
 * sublayer's W: loss {@code L = Σ out·c} in double from the float outputs, central differences with step
 * {@link #STEP} (divided by the step actually taken after rounding to float). Float forward noise is about
 * 1e-7·Σ|out·c| ≈ 1e-6, so the difference quotient carries about 1e-6/STEP ≈ 1e-4 of noise, plus an
 * O(STEP²) truncation term: hence {@link #ABS} and {@link #REL}.
 */
class BlockGradientTest {
  static final double STEP = 1e-2;
  static final double ABS = 5e-4;
  static final double REL = 5e-3;
  static final int ROWS = 3;

  static Map<String, ResidualBlock> blocks;

  @BeforeAll
  static void compile() {
    blocks = Blocks.compile("GradModel", 5, 17);
  }

  @TestFactory
  Stream<DynamicTest> finiteDifferences() {
    return blocks.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
  }

  private static void check(String name, ResidualBlock block) {
    int hidden = block.hidden();
    Random random = new Random(hidden * 31L + name.hashCode());
    Blocks.randomizeNorm(block, random);
    float[] w = Blocks.gaussian(hidden * hidden, random);
    for (int i = 0; i < w.length; i++) {
      w[i] /= (float) Math.sqrt(hidden);
    }
    TanhSublayer f = new TanhSublayer(hidden, w);
    float[] x = Blocks.gaussian(ROWS * hidden, random);
    float[] c = Blocks.gaussian(ROWS * hidden, random);
    BlockWorkspace ws = block.newWorkspace();

    block.zeroGrad();
    float[] out = new float[ROWS * hidden];
    block.forward(x, 0, out, 0, ROWS, f, ws);
    float[] dx = new float[ROWS * hidden];
    block.backward(c, 0, dx, 0, f, ws);

    Problem p = new Problem(block, f, x, c, new ArrayList<>(), new double[1]);
    compare(name + " dx", x, dx, p);
    for (dev.normforge.runtime.Parameter parameter : block.parameters()) {
      compare(name + " d" + parameter.name(), parameter.value(), parameter.grad(), p);
    }
    compare(name + " dW", f.w, f.dw, p);
    List<String> failures = p.failures();
    double[] worst = p.worst();
    System.out.printf("finite differences %s: worst %.3g of the tolerance%n", name, worst[0]);
    assertTrue(failures.isEmpty(), String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
  }

  /** One check: the block, its sublayer, the input, the loss weights, and what was found so far. */
  private record Problem(ResidualBlock block, TanhSublayer f, float[] x, float[] c, List<String> failures,
      double[] worst) {}

  /** Perturbs each element of {@code values} (an input or a parameter) and compares the difference quotient with {@code grad}. */
  private static void compare(String what, float[] values, float[] grad, Problem p) {
    float[] gradCopy = grad.clone();
    List<String> failures = p.failures();
    double[] worst = p.worst();
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      float up = (float) (v + STEP);
      float down = (float) (v - STEP);
      values[i] = up;
      double lUp = loss(p);
      values[i] = down;
      double lDown = loss(p);
      values[i] = v;
      double fd = (lUp - lDown) / ((double) up - down);
      double bound = ABS + REL * Math.abs(fd);
      double err = Math.abs(fd - gradCopy[i]);
      worst[0] = Math.max(worst[0], err / bound);
      if (!(err <= bound)) {
        failures.add(String.format("%s[%d]: backward %s, finite difference %s (|diff| %.3g > %.3g)",
            what, i, gradCopy[i], fd, err, bound));
      }
    }
  }

  private static double loss(Problem p) {
    int n = p.c().length;
    float[] out = new float[n];
    p.block().forward(p.x(), 0, out, 0, ROWS, p.f(), p.block().newWorkspace());
    double l = 0;
    for (int i = 0; i < n; i++) {
      l += (double) out[i] * p.c()[i];
    }
    return l;
  }
}
