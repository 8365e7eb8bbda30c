package dev.normforge.processor.modelclass;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.NormModule;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;

/** Model descriptions for the model-class tests, compiled by the real processor, and reflective calls on them. */
final class Models {
  private Models() {}

  static final String IMPORTS = "package m;\n\nimport dev.normforge.annotations.*;\nimport dev.normforge.runtime.*;\n\n";

  /** A LLaMA-style decoder with the fixture's names: two RMSNorm sites per layer and a final norm, hidden 64. */
  static final String LLAMA = IMPORTS
      + "/** A LLaMA-style decoder's norms. */\n"
      + "@NormModel(hidden = 64, decoderLayers = 4)\n"
      + "public interface Llama extends NormModule {\n"
      + "  @Norm(type = NormType.RMS, eps = 1e-6, name = \"model.layers.{layer}.input_layernorm\")\n"
      + "  NormLayer attentionNorm(int layer);\n\n"
      + "  @Norm(type = NormType.RMS, eps = 1e-6, name = \"model.layers.{layer}.post_attention_layernorm\")\n"
      + "  NormLayer ffnNorm(int layer);\n\n"
      + "  @Norm(type = NormType.RMS, eps = 1e-6, name = \"model.norm\")\n"
      + "  NormLayer finalNorm();\n\n"
      + "  static Llama create() {\n    return NormforgeLlama.create();\n  }\n"
      + "}\n";

  static JavaFileObject source(String qualifiedName, String text) {
    return JavaFileObjects.forSourceString(qualifiedName, text);
  }

  /** Compiles {@code text} (the type {@code m.<simpleName>}), asserting success. */
  static Compilation compile(String simpleName, String text) {
    Compilation compilation = Processing.compile(source("m." + simpleName, text));
    assertThat(compilation).succeeded();
    return compilation;
  }

  /** A new model through the generated class's {@code create()}. */
  static NormModule create(Compilation compilation, String modelClass) {
    try {
      Class<?> type = Processing.loader(compilation).loadClass("m." + modelClass);
      return (NormModule) type.getMethod("create").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot create " + modelClass + ": " + e, e);
    }
  }

  /**
   * The tensor names a {@code describe()} text lists: each site row's tensors column, {@code {layer}}
   * expanded over the row's {@code × N} layers, in row order.
   */
  static List<String> describedNames(String description) {
    List<String> names = new ArrayList<>();
    for (String row : description.lines().filter(l -> l.startsWith("| `")).toList()) {
      String[] cells = row.split(" \\| ");
      Matcher times = Pattern.compile(" × (\\d+) ").matcher(cells[0]);
      int layers = times.find() ? Integer.parseInt(times.group(1)) : 1;
      for (int layer = 0; layer < layers; layer++) {
        for (String name : cells[1].equals("none") ? new String[0] : cells[1].replace("`", "").split(", ")) {
          names.add(name.replace("{layer}", Integer.toString(layer)));
        }
      }
    }
    return names;
  }

  /** Calls the site method {@code name} (no argument, or the layer) on {@code model}, unwrapping what it throws. */
  static Object site(Object model, String name, Integer layer) throws Throwable {
    try {
      return layer == null ? model.getClass().getMethod(name).invoke(model)
          : model.getClass().getMethod(name, int.class).invoke(model, layer);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
