package dev.normforge.processor.hygiene;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.NormLayer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated code compiles in any legal package, whatever the names around it. The names under attack are
 * read from what the processor generates (every type its sources import, every class they nest), so a type
 * the kernels start to use later is attacked too:
 *
 * <ul>
 *   <li>a user type of each such simple name in the model's package (a {@code Math}, a {@code Float}, an
 *       {@code Override}, a {@code FloatVector}, ...);
 *   <li>a generated class of each such name ({@code Row} + {@code stats()} = {@code RowStats},
 *       {@code Float} + {@code vector()} = {@code FloatVector}), for every kind of site;
 *   <li>no generated local, parameter or field is named like a package that fully qualified names start
 *       with ({@code dev}, {@code java}, {@code javax}, {@code jdk}): it would hide that package.
 * </ul>
 */
class GeneratedNamesTest {
  /**
   * Single-type imports: they shadow the model package's own types of those names (a user's {@code q.NormLayer}),
   * which on-demand imports would not.
   */
  static final String IMPORTS = "import dev.normforge.annotations.Norm;\nimport dev.normforge.annotations.NormModel;\n"
      + "import dev.normforge.annotations.NormType;\nimport dev.normforge.annotations.Placement;\n"
      + "import dev.normforge.runtime.BatchNormLayer;\nimport dev.normforge.runtime.NormLayer;\n"
      + "import dev.normforge.runtime.ResidualBlock;\n\n";

  /** Every kind of site, by the attributes and declared type that make it. */
  static final List<String[]> KINDS = List.of(
      new String[] {"NormLayer", "type = NormType.LAYER"},
      new String[] {"NormLayer", "type = NormType.RMS, weightOffset = 1"},
      new String[] {"NormLayer", "type = NormType.RMS, partial = 0.5"},
      new String[] {"BatchNormLayer", "type = NormType.BATCH"},
      new String[] {"ResidualBlock", "type = NormType.LAYER, placement = Placement.PRE"},
      new String[] {"ResidualBlock", "type = NormType.RMS, placement = Placement.POST"},
      new String[] {"ResidualBlock", "type = NormType.DEEP"},
      new String[] {"ResidualBlock", "type = NormType.LAYER, placement = Placement.SANDWICH"},
      new String[] {"ResidualBlock", "type = NormType.BATCH, placement = Placement.PRE"},
      new String[] {"ResidualBlock", "type = NormType.BATCH, placement = Placement.POST"});

  /** A model {@code p.name} with one site per kind, {@code site0 .. site9}. */
  static JavaFileObject everyKind(String pkg, String name) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < KINDS.size(); i++) {
      body.append("  @Norm(").append(KINDS.get(i)[1]).append(") ").append(KINDS.get(i)[0]).append(" site").append(i)
          .append("();\n");
    }
    return JavaFileObjects.forSourceString(pkg + "." + name, "package " + pkg + ";\n\n" + IMPORTS
        + "@NormModel(hidden = 40, encoderLayers = 6)\npublic interface " + name + " {\n" + body + "}\n");
  }

  static List<String> sources;
  /** Simple names of every type the generated sources import or take from java.lang. */
  static Set<String> usedNames = new TreeSet<>();
  /** Simple names of the classes generated sources nest. */
  static Set<String> nestedNames = new TreeSet<>();

  @BeforeAll
  static void generate() {
    Compilation compilation = Processing.compile(everyKind("p", "Rich"));
    assertThat(compilation).succeeded();
    sources = new ArrayList<>();
    for (JavaFileObject f : compilation.generatedSourceFiles()) {
      try {
        sources.add(f.getCharContent(true).toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String all = String.join("\n", sources);
    Matcher m = Pattern.compile("(?m)^import ([\\w.]+)\\.(\\w+);").matcher(all);
    while (m.find()) {
      usedNames.add(m.group(2));
    }
    // java.lang types the code names, imported or not
    Matcher word = Pattern.compile("\\b[A-Z]\\w*\\b").matcher(code(all));
    while (word.find()) {
      try {
        Class.forName("java.lang." + word.group());
        usedNames.add(word.group());
      } catch (ClassNotFoundException notJavaLang) {
        // a name of another package, or a constant
      }
    }
    // the classes generated code nests (a Sandwich block's second norm, a BatchNorm block's norm)
    Matcher nested = Pattern.compile("(?m)^\\s+(?:\\w+ )*class (\\w+)").matcher(all);
    while (nested.find()) {
      nestedNames.add(nested.group(1));
    }
    assertTrue(usedNames.containsAll(Set.of("Math", "Float", "Override", "FloatVector", "RowStats", "Lanes")),
        "the names the kernels use: " + usedNames);
  }

  /** A user type of every name the generated code uses, all in the model's package at once. */
  @Test
  void userTypesNamedLikeWhatGeneratedCodeUses() {
    List<JavaFileObject> files = new ArrayList<>();
    files.add(everyKind("q", "Model"));
    for (String name : usedNames) {
      files.add(JavaFileObjects.forSourceString("q." + name, "package q;\n\npublic class " + name + " {}\n"));
    }
    Compilation compilation = Processing.compile(files.toArray(JavaFileObject[]::new));
    assertThat(compilation).succeeded();
    for (int i = 0; i < KINDS.size(); i++) {
      assertThat(compilation).generatedSourceFile("q.ModelSite" + i);
    }
  }

  /** Each name split at its last capital into a model and a site: {@code Row} + {@code stats()}. */
  static List<String[]> generatedAs() {
    List<String[]> splits = new ArrayList<>();
    Set<String> names = new TreeSet<>(usedNames);
    names.addAll(nestedNames);
    for (String name : names) {
      for (int k = name.length() - 1; k > 0; k--) {
        // a model named Norm or NormModel (from NormModule) could not use the annotations by their simple names
        if (Character.isUpperCase(name.charAt(k)) && !Set.of("Norm", "NormModel").contains(name.substring(0, k))) {
          splits.add(new String[] {name.substring(0, k),
              Character.toLowerCase(name.charAt(k)) + name.substring(k + 1), name});
          break;
        }
      }
    }
    return splits;
  }

  /**
   * For every kind of site, models whose generated classes carry the names the generated code uses
   * ({@code RowStats}, {@code FloatVector}, {@code VectorSpecies}, {@code RowNormLayer}, ...): they compile, and
   * a standalone row norm named so computes what the same norm under another name does.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
  void generatedClassesNamedLikeWhatGeneratedCodeUses(int kind) throws ReflectiveOperationException {
    List<String[]> splits = generatedAs();
    assertTrue(splits.stream().anyMatch(s -> s[2].equals("RowStats")), "RowStats is among the attacked names");
    List<JavaFileObject> files = new ArrayList<>();
    String[] k = KINDS.get(kind);
    java.util.Map<String, StringBuilder> models = new java.util.TreeMap<>();
    for (String[] s : splits) {
      models.computeIfAbsent(s[0], m -> new StringBuilder())
          .append("  @Norm(").append(k[1]).append(") ").append(k[0]).append(" ").append(s[1]).append("();\n");
    }
    // each model in a package of its own: a model named PostNorm (for PostNormBlock) and the class PostNorm
    // (generated for Post + norm()) must not meet
    models.forEach((model, body) -> files.add(JavaFileObjects.forSourceString(packageOf(model) + "." + model,
        "package " + packageOf(model) + ";\n\n" + IMPORTS + "@NormModel(hidden = 40, encoderLayers = 6)\n"
            + "public interface " + model + " {\n" + body + "}\n")));
    files.add(JavaFileObjects.forSourceString("r.Plain", "package r;\n\n" + IMPORTS
        + "@NormModel(hidden = 40, encoderLayers = 6)\npublic interface Plain {\n  @Norm(" + k[1] + ") " + k[0]
        + " site();\n}\n"));
    Compilation compilation = Processing.compile(files.toArray(JavaFileObject[]::new));
    assertThat(compilation).succeeded();
    if (!k[0].equals("NormLayer")) {
      return;
    }
    ClassLoader loader = Processing.loader(compilation);
    float[] x = new float[3 * 40];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i);
    }
    float[] expected = new float[x.length];
    Processing.instantiate(loader, "r.PlainSite", NormLayer.class).forward(x, 0, expected, 0, 3);
    for (String[] s : splits) {
      float[] y = new float[x.length];
      Processing.instantiate(loader, packageOf(s[0]) + "." + s[2], NormLayer.class).forward(x, 0, y, 0, 3);
      assertArrayEquals(expected, y, s[2]);
    }
  }

  /** {@code source} without comments, string contents, package and import lines. */
  static String code(String source) {
    return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "")
        .replaceAll("\"[^\"\\n]*\"", "\"\"").replaceAll("(?m)^(package|import) .*$", "");
  }

  static String packageOf(String model) {
    return "r.p" + model;
  }

  /** No generated declaration may be named like the first segment of a package the code names in full. */
  @Test
  void noGeneratedNameHidesAPackage() {
    Set<String> roots = new TreeSet<>();
    Matcher imports = Pattern.compile("(?m)^import (\\w+)\\.").matcher(String.join("\n", sources));
    while (imports.find()) {
      roots.add(imports.group(1));
    }
    assertEquals(Set.of("dev", "java", "javax", "jdk"), roots);
    for (String source : sources) {
      String code = code(source);
      Matcher names = Pattern.compile("(?<![\\w.])(\\w+)(?![\\w])(?!\\s*\\.)").matcher(code);
      while (names.find()) {
        assertTrue(!roots.contains(names.group(1)),
            "a generated name hides the package " + names.group(1) + ": ..." + code.substring(
                Math.max(0, names.start() - 80), Math.min(code.length(), names.end() + 40)) + "...");
      }
    }
  }
}
