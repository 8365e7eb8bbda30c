package dev.normforge.processor.testing;

import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/**
 * Writes a model description as a user would: an interface annotated {@code @NormModel} with one method
 * per {@code @Norm} site. Tests build the sources they need from it instead of keeping fixtures per size.
 */
public final class ModelSource {
  private final String packageName;
  private final String modelName;
  private final String modelAttributes;
  private final List<String> sites = new ArrayList<>();

  private ModelSource(String packageName, String modelName, String modelAttributes) {
    this.packageName = packageName;
    this.modelName = modelName;
    this.modelAttributes = modelAttributes;
  }

  /** A model {@code packageName.modelName} with {@code @NormModel(modelAttributes)}. */
  public static ModelSource model(String packageName, String modelName, String modelAttributes) {
    return new ModelSource(packageName, modelName, modelAttributes);
  }

  /** Adds {@code @Norm(attributes) returnType name();}. */
  public ModelSource site(String returnType, String name, String attributes) {
    sites.add("  @Norm(" + attributes + ")\n  " + returnType + " " + name + "();\n");
    return this;
  }

  /** The fully qualified name of the class generated for site {@code name}. */
  public String generated(String name) {
    return packageName + "." + modelName + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** The source text. */
  public String text() {
    return "package " + packageName + ";\n\n"
        + "import dev.normforge.annotations.*;\n"
        + "import dev.normforge.runtime.*;\n\n"
        + "@NormModel(" + modelAttributes + ")\n"
        + "public interface " + modelName + " {\n"
        + String.join("\n", sites)
        + "}\n";
  }

  /** The source as a file for compile-testing. */
  public JavaFileObject file() {
    return JavaFileObjects.forSourceString(packageName + "." + modelName, text());
  }
}
