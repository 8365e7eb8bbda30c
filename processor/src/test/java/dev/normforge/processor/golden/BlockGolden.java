package dev.normforge.processor.golden;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.TanhSublayer;
import dev.normforge.processor.testing.Tolerance;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.ResidualBlock;

/**
 * {@code residual_block} cases: a block site with the case's norm ({@code layer_norm} -> LAYER,
 * {@code rms_norm} -> RMS), placement (pre, post, sandwich: its second norm's {@code weight2}/{@code bias2}), explicit alpha (DeepNorm cases are Post-LN blocks with DeepNet's
 * alpha, so they run as LAYER/POST with that alpha), hidden, eps, affine and bias; sublayer
 * {@code tanh(h·Wᵀ)} ({@link TanhSublayer}). Compares out, dx, dW, dweight, dbias within {@link #TOLERANCE}.
 */
final class BlockGolden implements GoldenCheck {
  /**
   * 1e-5 + 1e-4·|want|, the README's bound ({@link Tolerance#FLOAT}); the dev cases stay well inside it
   * (worst about 1% of the bound: see the report printed per case).
   */
  static final Tolerance TOLERANCE = Tolerance.FLOAT;

  @Override
  public void check(GoldenCase c) {
    boolean layer = switch (c.string("norm")) {
      case "layer_norm" -> true;
      case "rms_norm" -> false;
      default -> throw new AssertionError(c.name() + ": unknown norm " + c.string("norm"));
    };
    String placement = switch (c.string("placement")) {
      case "pre" -> "PRE";
      case "post" -> "POST";
      case "sandwich" -> "SANDWICH";
      default -> throw new AssertionError(c.name() + ": unknown placement " + c.string("placement"));
    };
    ModelSource source = ModelSource.model("golden", c.modelName(), "hidden = " + c.hidden())
        .site("ResidualBlock", "block", "type = NormType." + (layer ? "LAYER" : "RMS")
            + ", placement = Placement." + placement + ", alpha = " + c.number("alpha", 1.0)
            + ", eps = " + c.eps() + ", affine = " + c.affine() + ", bias = " + c.bias());
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    ResidualBlock block = Processing.instantiate(compilation, source.generated("block"), ResidualBlock.class);
    run(c, block);
  }

  /** Runs the case on {@code block}; returns the worst error as a fraction of the tolerance. */
  static double run(GoldenCase c, ResidualBlock block) {
    String n = c.name() + ": ";
    int rows = c.rows();
    int hidden = c.hidden();
    int size = rows * hidden;
    if (c.affine()) {
      block.weight().set(c.input("weight"));
    }
    if (c.bias()) {
      block.bias().set(c.input("bias"));
    }
    boolean sandwich = c.string("placement").equals("sandwich");
    if (sandwich && c.affine()) {
      parameter(block, "weight2").set(c.input("weight2"));
    }
    if (sandwich && c.bias()) {
      parameter(block, "bias2").set(c.input("bias2"));
    }
    TanhSublayer f = new TanhSublayer(hidden, c.input("W"));
    BlockWorkspace ws = block.newWorkspace();
    float[] x = c.input("x");
    float[] out = new float[size];
    block.forward(x, 0, out, 0, rows, f, ws);
    float[] dx = new float[size];
    block.backward(c.input("dout"), 0, dx, 0, f, ws);

    double worst = 0;
    worst = Math.max(worst, compare(n + "out", c.output("out"), out));
    worst = Math.max(worst, compare(n + "dx", c.output("dx"), dx));
    worst = Math.max(worst, compare(n + "dW", c.output("dW"), f.dw));
    if (c.affine()) {
      worst = Math.max(worst, compare(n + "dweight", c.output("dweight"), block.weight().grad()));
    }
    if (c.bias()) {
      worst = Math.max(worst, compare(n + "dbias", c.output("dbias"), block.bias().grad()));
    }
    if (sandwich && c.affine()) {
      worst = Math.max(worst, compare(n + "dweight2", c.output("dweight2"), parameter(block, "weight2").grad()));
    }
    if (sandwich && c.bias()) {
      worst = Math.max(worst, compare(n + "dbias2", c.output("dbias2"), parameter(block, "bias2").grad()));
    }
    System.out.printf("%s worst error %.3g of the tolerance (%s)%n", c.name(), worst, TOLERANCE);
    return worst;
  }

  /** The block's parameter {@code name} ({@code weight2} is a Sandwich block's second norm's weight). */
  static Parameter parameter(ResidualBlock block, String name) {
    return block.parameters().stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(block + " has no parameter " + name + ": " + block.parameters()));
  }

  private static double compare(String what, double[] want, float[] got) {
    if (want.length != got.length) {
      throw new AssertionError(what + ": expected " + want.length + " values, got " + got.length);
    }
    TOLERANCE.check(what, want, got, 0, want.length);
    return TOLERANCE.worst(want, got, 0, want.length);
  }
}
