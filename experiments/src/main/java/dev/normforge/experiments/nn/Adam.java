package dev.normforge.experiments.nn;

import dev.normforge.runtime.Parameter;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam (Kingma &amp; Ba 2015) with bias correction, as PyTorch's {@code torch.optim.Adam} (no weight decay,
 * no amsgrad), step {@code t = 1, 2, ...}:
 *
 * <pre>
 * m = lerp(m, g, 1 - beta1)                  (m + (1 - beta1)·(g - m))
 * v = beta2·v + (1 - beta2)·g²
 * θ = θ - lr/(1 - beta1^t) · m / (sqrt(v)/sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * in float, lane by lane (each element's arithmetic is the scalar one, so the same bits at any vector
 * width), with PyTorch's defaults {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code eps = 1e-8}. The
 * learning rate is given per step (a schedule is the caller's). Gradients are read, not cleared.
 */
public final class Adam {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  private final List<Parameter> parameters;
  private final float[][] m;
  private final float[][] v;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private int step;

  /** Adam over {@code parameters} with PyTorch's defaults. */
  public Adam(List<Parameter> parameters) {
    this(parameters, 0.9, 0.999, 1e-8);
  }

  public Adam(List<Parameter> parameters, double beta1, double beta2, double eps) {
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps >= 0)) {
      throw new IllegalArgumentException("need 0 <= beta1, beta2 < 1 and eps >= 0, got " + beta1 + ", " + beta2
          + ", " + eps);
    }
    this.parameters = List.copyOf(parameters);
    this.m = new float[this.parameters.size()][];
    this.v = new float[this.parameters.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new float[this.parameters.get(i).size()];
      v[i] = new float[this.parameters.get(i).size()];
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  /** Steps taken so far. */
  public int steps() {
    return step;
  }

  /** One update of every parameter from its current gradient, with learning rate {@code lr}. */
  public void step(double lr) {
    step++;
    float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
    float correction2 = (float) Math.sqrt(1 - Math.pow(beta2, step));
    float weight1 = (float) (1 - beta1);
    float decay2 = (float) beta2;
    float weight2 = (float) (1 - beta2);
    float epsilon = (float) eps;
    for (int p = 0; p < m.length; p++) {
      float[] theta = parameters.get(p).value();
      float[] g = parameters.get(p).grad();
      float[] mp = m[p];
      float[] vp = v[p];
      for (int i = 0; i < theta.length; i += SPECIES.length()) {
        VectorMask<Float> lanes = SPECIES.indexInRange(i, theta.length);
        FloatVector gi = FloatVector.fromArray(SPECIES, g, i, lanes);
        FloatVector mi = FloatVector.fromArray(SPECIES, mp, i, lanes);
        mi = mi.add(gi.sub(mi).mul(weight1));
        FloatVector vi = FloatVector.fromArray(SPECIES, vp, i, lanes).mul(decay2).add(gi.mul(weight2).mul(gi));
        FloatVector denominator = vi.sqrt().div(correction2).add(epsilon);
        FloatVector.fromArray(SPECIES, theta, i, lanes).sub(mi.div(denominator).mul(stepSize)).intoArray(theta, i, lanes);
        mi.intoArray(mp, i, lanes);
        vi.intoArray(vp, i, lanes);
      }
    }
  }
}
