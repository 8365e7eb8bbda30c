package dev.normforge.processor.properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.Processing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random model descriptions, valid or not: the processor either generates code that compiles, or reports
 * its own diagnostics on the model's source. Never an exception, never an internal error, never a
 * generated file that fails to compile.
 */
class ProcessorFuzzTest {
  record Site(String type, String placement, String eps, String alpha, String beta, String affine, String bias,
      String hidden, String momentum, String stack, String returns) {
    /** The declared type: {@code returns}, or for "match" the one the site's type and placement need. */
    String declaredType() {
      if (!returns.equals("match")) {
        return returns;
      }
      if (type.equals("NormType.DEEP") || placement.equals("Placement.PRE") || placement.equals("Placement.POST")) {
        return "ResidualBlock";
      }
      return type.equals("NormType.BATCH") ? "BatchNormLayer" : "NormLayer";
    }

    String annotation() {
      List<String> attributes = new ArrayList<>();
      add(attributes, "type", type);
      add(attributes, "placement", placement);
      add(attributes, "eps", eps);
      add(attributes, "alpha", alpha);
      add(attributes, "beta", beta);
      add(attributes, "affine", affine);
      add(attributes, "bias", bias);
      add(attributes, "hidden", hidden);
      add(attributes, "momentum", momentum);
      add(attributes, "stack", stack);
      return "@Norm(" + String.join(", ", attributes) + ")";
    }

    private static void add(List<String> attributes, String name, String value) {
      if (!value.isEmpty()) {
        attributes.add(name + " = " + value);
      }
    }
  }

  record Model(String hidden, String encoder, String decoder, List<Site> sites) {
    String source() {
      StringBuilder sb = new StringBuilder("package fz;\n\nimport dev.normforge.annotations.*;\nimport dev.normforge.runtime.*;\n\n");
      List<String> attributes = new ArrayList<>();
      Site.add(attributes, "hidden", hidden);
      Site.add(attributes, "encoderLayers", encoder);
      Site.add(attributes, "decoderLayers", decoder);
      sb.append("@NormModel(").append(String.join(", ", attributes)).append(")\npublic interface M {\n");
      for (int i = 0; i < sites.size(); i++) {
        Site s = sites.get(i);
        sb.append("  ").append(s.annotation()).append("\n  ").append(s.declaredType()).append(" site").append(i).append("();\n");
      }
      return sb.append("}\n").toString();
    }
  }

  @Provide
  Arbitrary<Model> models() {
    // mostly defaults and valid values, so that a good share of models is valid and gets generated
    Arbitrary<Site> sites = Combinators.combine(List.of(
        weighted("", 3, "NormType.LAYER", "NormType.RMS", "NormType.BATCH", "NormType.DEEP"),
        weighted("", 4, "Placement.AUTO", "Placement.PRE", "Placement.POST", "Placement.NONE"),
        weighted("", 18, "1e-5", "1e-6", "0", "-1", "Double.NaN", "1.0 / 0"),
        weighted("", 16, "1.5", "0.5", "0", "-2", "Double.POSITIVE_INFINITY"),
        weighted("", 24, "0.3", "0", "-1"),
        weighted("", 3, "true", "false"),
        weighted("", 3, "true", "false"),
        weighted("", 16, "1", "17", "100", "0", "-4", "99999999"),
        weighted("", 24, "0.1", "1", "0", "2"),
        weighted("", 24, "Stack.AUTO", "Stack.ENCODER", "Stack.DECODER"),
        weighted("match", 8, "NormLayer", "ResidualBlock", "BatchNormLayer", "String")
    )).as(v -> new Site(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), v.get(5), v.get(6), v.get(7),
        v.get(8), v.get(9), v.get(10)));
    return Combinators.combine(weighted("64", 12, "", "0", "-3", "13", "13"), weighted("", 6, "0", "6", "6", "-1"),
        weighted("12", 6, "", "0", "-2"), sites.list().ofMinSize(1).ofMaxSize(2)).as(Model::new);
  }

  /** {@code common} with weight {@code weight}, each of {@code others} with weight 1. */
  private static Arbitrary<String> weighted(String common, int weight, String... others) {
    List<net.jqwik.api.Tuple.Tuple2<Integer, String>> choices = new ArrayList<>();
    choices.add(net.jqwik.api.Tuple.of(weight, common));
    for (String o : others) {
      choices.add(net.jqwik.api.Tuple.of(1, o));
    }
    return Arbitraries.frequency(choices);
  }

  @Property(tries = 300, seed = "20261124", edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
  void compilesOrReportsItsOwnDiagnostics(@ForAll("models") Model model) {
    String text = model.source();
    JavaFileObject source = JavaFileObjects.forSourceString("fz.M", text);
    Compilation compilation = Processing.compile(source);
    boolean ok = compilation.status() == Compilation.Status.SUCCESS;
    Statistics.label("outcome").collect(ok ? "generated and compiled" : "rejected with diagnostics");
    compilation.errors().stream().map(e -> e.getMessage(Locale.ROOT).replaceAll("^\\[([^\\]]+)\\].*(?s)", "$1"))
        .distinct().forEach(id -> Statistics.label("errors").collect(id));
    for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
      String message = error.getMessage(Locale.ROOT);
      String file = error.getSource() == null ? "(no file)" : error.getSource().getName();
      assertTrue(message.startsWith("[normforge.") && !message.startsWith("[normforge.internal]"),
          "not a normforge diagnostic: " + message + " in " + file + "\n" + text);
      assertTrue(file.endsWith("fz/M.java"), "error outside the model (in generated code?): " + file + ": "
          + message + "\n" + text);
    }
  }
}
