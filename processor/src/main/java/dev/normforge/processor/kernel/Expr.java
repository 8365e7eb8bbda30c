package dev.normforge.processor.kernel;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An element-wise float expression of the kernel language, written once and rendered twice: as Vector API
 * code for the lanes ({@code x.sub(m).fma(rs, c)}) and as scalar Java for the tail
 * ({@code Math.fma(x - m, rs, c)}), with the same operations in the same order, so the tail rounds exactly
 * as each lane does.
 *
 * <p>Leaves: {@link #load} reads a row (or a per-feature array) at the current feature; {@link #local} names a
 * per-element value a {@link Pass} step defined; {@link #scalar} is a float that does not change along the
 * pass (a statistic, a constant). Nodes: {@link #add}, {@link #sub}, {@link #mul}, {@link #fma}.
 */
public sealed interface Expr {
  /**
   * The types kernel text names, as JavaPoet named arguments ({@code $math:T.fma(...)}): rendered through
   * {@link #code}, they are imported or qualified like every other type of the generated file, so that a
   * user type called {@code Math} in the model's package, or a generated class called {@code FloatVector},
   * cannot capture them.
   */
  Map<String, ClassName> TYPES = Map.of("math", ClassName.get("java.lang", "Math"), "floatVector", Layout.FLOAT_VECTOR);

  /** Kernel text (a step's statement, which may name {@link #TYPES}) as a code block for JavaPoet. */
  static CodeBlock code(String text) {
    return CodeBlock.builder().addNamed(text, TYPES).build();
  }

  /** The vector form, for unroll slot {@code k} (locals are suffixed by it) at feature index {@code j}. */
  String vectorForm(String k, String j, Consumer<Scalar> broadcasts);

  /** The scalar form at feature index {@code j}. */
  String scalarForm(String j);

  /** Binding strength of the scalar form: 3 for a leaf or call, 2 for a product, 1 for a sum. */
  default int precedence() {
    return 3;
  }

  /** Whether this is a float that does not vary along the pass (its vector form would be a broadcast). */
  default boolean isScalar() {
    return false;
  }

  /** {@code this + b}. */
  default Expr add(Expr b) {
    return new Op('+', this, b);
  }

  /** {@code this - b}. */
  default Expr sub(Expr b) {
    return new Op('-', this, b);
  }

  /** {@code this·b}. */
  default Expr mul(Expr b) {
    return new Op('*', this, b);
  }

  /** {@code this·b + c}, rounded once. */
  default Expr fma(Expr b, Expr c) {
    return new Fma(this, b, c);
  }

  /** {@code array[offset + j]}: a row's element (or, with a null offset, a per-feature array's). */
  static Expr load(String array, String offset) {
    return new Load(array, offset);
  }

  /** {@code array[j]}: a per-feature array such as {@code weight}. */
  static Expr feature(String array) {
    return new Load(array, null);
  }

  /** A per-element local defined by a pass step: {@code name0..name3} in the lanes, {@code name} in the tail. */
  static Expr local(String name) {
    return new Local(name);
  }

  /** A float in scope for the whole pass: a statistic, or a constant such as {@code ALPHA_F} or {@code 1f}. */
  static Scalar scalar(String name) {
    return new Scalar(name);
  }

  /** A row element or per-feature value. */
  record Load(String array, String offset) implements Expr {
    String index(String j) {
      return offset == null ? j : j.equals("0") ? offset : offset + " + " + j;
    }

    @Override
    public String vectorForm(String k, String j, Consumer<Scalar> broadcasts) {
      return "$floatVector:T.fromArray(SPECIES, " + array + ", " + index(j) + ")";
    }

    @Override
    public String scalarForm(String j) {
      return array + "[" + index(j) + "]";
    }
  }

  /** A per-element local of a pass. */
  record Local(String name) implements Expr {
    @Override
    public String vectorForm(String k, String j, Consumer<Scalar> broadcasts) {
      return name + k;
    }

    @Override
    public String scalarForm(String j) {
      return name;
    }
  }

  /**
   * A float constant along the pass. Vector operations take it as a float where they can
   * ({@code v.mul(rs)}); where a vector is needed the pass broadcasts it once, before its loops, into
   * {@link #vectorName()}.
   */
  record Scalar(String name) implements Expr {
    /** The broadcast vector's local: {@code rs} -> {@code rsV}; {@code ALPHA_F} -> {@code alphaFV}. */
    public String vectorName() {
      boolean constant = name.equals(name.toUpperCase(java.util.Locale.ROOT));
      return (constant ? Layout.camelCase(name) : name) + "V";
    }

    @Override
    public String vectorForm(String k, String j, Consumer<Scalar> broadcasts) {
      broadcasts.accept(this);
      return vectorName();
    }

    @Override
    public String scalarForm(String j) {
      return name;
    }

    @Override
    public boolean isScalar() {
      return true;
    }
  }

  /** A binary operation, {@code +}, {@code -} or {@code *}. */
  record Op(char op, Expr a, Expr b) implements Expr {
    private String method() {
      return switch (op) {
        case '+' -> "add";
        case '-' -> "sub";
        default -> "mul";
      };
    }

    @Override
    public boolean isScalar() {
      return a.isScalar() && b.isScalar();
    }

    @Override
    public int precedence() {
      return op == '*' ? 2 : 1;
    }

    @Override
    public String vectorForm(String k, String j, Consumer<Scalar> broadcasts) {
      if (isScalar()) {
        throw new IllegalStateException("a pass-constant expression has no per-lane form: " + scalarForm(j));
      }
      if (a.isScalar() && op != '-') {
        // float + and · commute exactly: the vector operand becomes the receiver, the float an argument
        return new Op(op, b, a).vectorForm(k, j, broadcasts);
      }
      String receiver = a.vectorForm(k, j, broadcasts);
      String argument = b instanceof Scalar s ? s.name() : b.vectorForm(k, j, broadcasts);
      return receiver + "." + method() + "(" + argument + ")";
    }

    @Override
    public String scalarForm(String j) {
      String left = a.scalarForm(j);
      String right = b.scalarForm(j);
      if (a.precedence() < precedence()) {
        left = "(" + left + ")";
      }
      if (b.precedence() < precedence() || (op == '-' && b.precedence() == precedence())) {
        right = "(" + right + ")";
      }
      return left + " " + op + " " + right;
    }
  }

  /** {@code a·b + c} with one rounding: {@code a.fma(b, c)} / {@code Math.fma(a, b, c)}. */
  record Fma(Expr a, Expr b, Expr c) implements Expr {
    @Override
    public boolean isScalar() {
      return a.isScalar() && b.isScalar() && c.isScalar();
    }

    @Override
    public String vectorForm(String k, String j, Consumer<Scalar> broadcasts) {
      if (isScalar()) {
        throw new IllegalStateException("a pass-constant expression has no per-lane form: " + scalarForm(j));
      }
      if (a.isScalar() && !b.isScalar()) {
        return new Fma(b, a, c).vectorForm(k, j, broadcasts); // a·b = b·a exactly
      }
      String receiver = a.vectorForm(k, j, broadcasts);
      boolean floats = b instanceof Scalar && c instanceof Scalar;
      String bs = floats ? ((Scalar) b).name() : b.vectorForm(k, j, broadcasts);
      String cs = floats ? ((Scalar) c).name() : c.vectorForm(k, j, broadcasts);
      return receiver + ".fma(" + bs + ", " + cs + ")";
    }

    @Override
    public String scalarForm(String j) {
      return "$math:T.fma(" + a.scalarForm(j) + ", " + b.scalarForm(j) + ", " + c.scalarForm(j) + ")";
    }
  }
}
