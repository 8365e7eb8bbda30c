package dev.normforge.runtime.internal;

import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.Sublayer;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sandwich-Norm residual block (CogView, NormFormer, Gemma 2), {@code out = alpha·x + norm2(F(norm1(x)))},
 * as generated for a site with {@code placement = SANDWICH}: a Pre-Norm block whose sublayer output is
 * normalized again by a second, independent norm of the same configuration ({@code weight2}, {@code bias2}).
 *
 * <p>Forward: {@code h = norm1(x)} (the Pre-Norm kernel, saving its statistics), {@code f = F(h)} and
 * {@code out = norm2(f)} (the generated second norm, saving its statistics), then {@code out = alpha·x + out}.
 * Backward: {@code df = norm2'(f)ᵀ·dout} (adding into weight2/bias2's gradients), {@code dh = F'(h)ᵀ·df},
 * then one pass per row writes {@code dx = norm1'(x)ᵀ·dh + alpha·dout}. The workspace keeps {@code f},
 * {@code df} and norm2's statistics beside what a Pre-Norm block keeps.
 */
public abstract class SandwichNormBlock extends PreNormBlock {
  private static final int F = 0;
  private static final int F_GRADIENT = 1;
  private static final int MEAN2 = 2;
  private static final int RSTD2 = 3;

  private final NormLayer post;
  private final List<Parameter> parameters;

  /** {@code post} is the second norm: a generated layer of the same hidden size whose parameters end in 2. */
  protected SandwichNormBlock(NormLayer post, int hidden, double eps, double alpha, double beta, boolean centered,
      boolean affine, boolean bias, float initialWeight) {
    super(hidden, eps, alpha, beta, centered, affine, bias, initialWeight);
    this.post = post;
    List<Parameter> all = new ArrayList<>(super.parameters());
    all.addAll(post.parameters());
    this.parameters = List.copyOf(all);
  }

  /** The second norm, {@code norm2}, applied to the sublayer's output. */
  public final NormLayer postNorm() {
    return post;
  }

  @Override
  public final List<Parameter> parameters() {
    return parameters;
  }

  @Override
  final void sublayerForward(Sublayer f, float[] h, float[] out, int outOff, int rows, BlockWorkspace ws) {
    float[] fx = WS.extra(ws, F, rows * hidden);
    f.forward(h, 0, fx, 0, rows);
    post.forwardTraining(fx, 0, out, outOff, rows, WS.extra(ws, MEAN2, rows), WS.extra(ws, RSTD2, rows), 0);
  }

  @Override
  final void sublayerBackward(Sublayer f, float[] h, float[] dout, int doutOff, float[] dh, int rows,
      BlockWorkspace ws) {
    float[] fx = WS.extra(ws, F, rows * hidden);
    float[] df = WS.extra(ws, F_GRADIENT, rows * hidden);
    post.backward(fx, 0, dout, doutOff, df, 0, rows, WS.extra(ws, MEAN2, rows), WS.extra(ws, RSTD2, rows), 0);
    f.backward(h, 0, df, 0, dh, 0, rows);
  }
}
