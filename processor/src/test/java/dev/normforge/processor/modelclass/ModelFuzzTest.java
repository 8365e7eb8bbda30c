package dev.normforge.processor.modelclass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.NormModule;
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
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random models of single and per-layer sites, with random names, layer counts, stacks and parameters:
 * the processor either generates a model class that compiles, whose state dict names exactly the tensors
 * its description lists, or reports its own diagnostics on the model's source. Never an internal error, never an error in generated code.
 */
class ModelFuzzTest {
  record Site(String type, String parameters, String name, String layers, String stack) {
    String declaration(int i) {
      List<String> attributes = new ArrayList<>();
      attributes.add("type = " + type);
      add(attributes, "name", name.isEmpty() ? "" : "\"" + name.replace("#", Integer.toString(i)) + "\"");
      add(attributes, "layers", layers);
      add(attributes, "stack", stack);
      String returns = type.equals("NormType.BATCH") ? "BatchNormLayer" : type.equals("NormType.DEEP")
          ? "ResidualBlock" : "NormLayer";
      return "  @Norm(" + String.join(", ", attributes) + ")\n  " + returns + " site" + i + "(" + parameters + ");\n";
    }

    private static void add(List<String> attributes, String name, String value) {
      if (!value.isEmpty()) {
        attributes.add(name + " = " + value);
      }
    }
  }

  record Model(String encoder, String decoder, List<Site> sites) {
    String source() {
      StringBuilder sb = new StringBuilder(Models.IMPORTS);
      sb.append("@NormModel(hidden = 8, encoderLayers = ").append(encoder).append(", decoderLayers = ").append(decoder)
          .append(")\npublic interface M {\n");
      for (int i = 0; i < sites.size(); i++) {
        sb.append(sites.get(i).declaration(i));
      }
      return sb.append("}\n").toString();
    }
  }

  @Provide
  Arbitrary<Model> models() {
    Arbitrary<Site> sites = Combinators.combine(
        weighted("NormType.RMS", 6, "NormType.LAYER", "NormType.BATCH", "NormType.DEEP"),
        weighted("int layer", 12, "", "", "", "", "long layer", "int a, int b", "Integer i"),
        // "#" becomes the site's index: distinct names; without it, names collide across sites
        weighted("", 16, "w.{layer}.n#", "w.{layer}.n#", "n#", "n#", "shared", "a..b", "x.{layer}.{layer}", "{layer}",
            "s p#", "x.{l}"),
        weighted("", 16, "1", "3", "0", "-1", "100001"),
        weighted("", 16, "Stack.ENCODER", "Stack.DECODER", "Stack.AUTO"))
        .as(Site::new);
    return Combinators.combine(weighted("0", 6, "2", "3"), weighted("3", 4, "0", "1"), sites.list().ofMinSize(1).ofMaxSize(3))
        .as(Model::new);
  }

  private static Arbitrary<String> weighted(String common, int weight, String... others) {
    List<Tuple.Tuple2<Integer, String>> choices = new ArrayList<>();
    choices.add(Tuple.of(weight, common));
    for (String o : others) {
      choices.add(Tuple.of(1, o));
    }
    return Arbitraries.frequency(choices);
  }

  @Property(tries = 150, seed = "20261125", edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
  void generatesAWorkingModelOrReportsItsOwnDiagnostics(@ForAll("models") Model model) throws ReflectiveOperationException {
    String text = model.source();
    JavaFileObject source = JavaFileObjects.forSourceString("m.M", text);
    Compilation compilation = Processing.compile(source);
    boolean ok = compilation.status() == Compilation.Status.SUCCESS;
    Statistics.label("outcome").collect(ok ? "generated and compiled" : "rejected with diagnostics");
    for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
      String message = error.getMessage(Locale.ROOT);
      String file = error.getSource() == null ? "(no file)" : error.getSource().getName();
      Statistics.label("errors").collect(message.replaceAll("^\\[([^\\]]+)\\].*(?s)", "$1"));
      assertTrue(message.startsWith("[normforge.") && !message.startsWith("[normforge.internal]"),
          "not a normforge diagnostic: " + message + " in " + file + "\n" + text);
      assertTrue(file.endsWith("m/M.java"), "error outside the model: " + file + ": " + message + "\n" + text);
    }
    if (ok) {
      NormModule m = (NormModule) Processing.loader(compilation).loadClass("m.NormforgeM").getMethod("create").invoke(null);
      assertEquals(Models.describedNames(m.describe()), List.copyOf(m.stateDict().names()), text);
    }
  }
}
