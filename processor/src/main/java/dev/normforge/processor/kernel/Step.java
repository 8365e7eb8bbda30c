package dev.normforge.processor.kernel;

import java.util.function.Consumer;

/**
 * One statement of a pass, rendered for a vector slot and for the scalar tail from the same expression:
 * the only place where a step becomes code, for row passes and column passes alike.
 */
sealed interface Step {
  /** The statement for unroll slot {@code k} at feature index {@code j}. */
  String vector(String k, String j, Consumer<Expr.Scalar> broadcasts);

  /** The statement for the scalar tail (feature index {@code j}). */
  String scalar();

  /** {@code name = value} per element. */
  record Let(String name, Expr value) implements Step {
    @Override
    public String vector(String k, String j, Consumer<Expr.Scalar> broadcasts) {
      return "var " + name + k + " = " + value.vectorForm(k, j, broadcasts);
    }

    @Override
    public String scalar() {
      return "float " + name + " = " + value.scalarForm("j");
    }
  }

  /** {@code target[j] = value}. */
  record Store(Expr.Load target, Expr value) implements Step {
    @Override
    public String vector(String k, String j, Consumer<Expr.Scalar> broadcasts) {
      return value.vectorForm(k, j, broadcasts) + ".intoArray(" + target.array() + ", " + target.index(j) + ")";
    }

    @Override
    public String scalar() {
      return target.scalarForm("j") + " = " + value.scalarForm("j");
    }
  }

  /**
   * {@code name += term}, into accumulators {@code name0..}: a product {@code a·b} accumulates with one
   * rounding ({@code a.fma(b, acc)} in the lanes, {@code Math.fma(a, b, acc)} in the tail).
   */
  record Sum(String name, Expr term) implements Step {
    private Expr accumulate() {
      Expr acc = Expr.local(name);
      return term instanceof Expr.Op op && op.op() == '*' ? op.a().fma(op.b(), acc) : acc.add(term);
    }

    @Override
    public String vector(String k, String j, Consumer<Expr.Scalar> broadcasts) {
      return name + k + " = " + accumulate().vectorForm(k, j, broadcasts);
    }

    @Override
    public String scalar() {
      return term instanceof Expr.Op op && op.op() == '*'
          ? name + " = " + accumulate().scalarForm("j")
          : name + " += " + term.scalarForm("j");
    }
  }
}
