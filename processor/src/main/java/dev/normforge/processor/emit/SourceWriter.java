package dev.normforge.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;

/**
 * The one place generated types are written: adds {@code @Generated} (the processor's name and the site it
 * came from, no timestamp, so output is deterministic) and records the originating element for
 * incremental builds.
 */
public final class SourceWriter {
  static final String GENERATOR = "dev.normforge.processor.NormProcessor";
  /** The annotation every generated type carries (SOURCE retention, in module {@code java.compiler}). */
  public static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

  private final Filer filer;

  public SourceWriter(Filer filer) {
    this.filer = filer;
  }

  /** The complete source file for {@code type} in {@code packageName}. */
  public static JavaFile file(String packageName, TypeSpec.Builder type, String origin) {
    type.addAnnotation(AnnotationSpec.builder(GENERATED)
        .addMember("value", "$S", GENERATOR)
        .addMember("comments", "$S", "from " + origin)
        .build());
    return JavaFile.builder(packageName, type.build())
        // java.lang types (Math, Float, Override) imported by name: a single-type import wins over any type of
        // the same simple name in the model's package, which the implicit java.lang.* import would not
        .skipJavaLangImports(false)
        .indent("  ")
        .build();
  }

  /** Writes {@code type}, generated from {@code origin}, to the filer. */
  public void write(String packageName, TypeSpec.Builder type, String origin, Element originating)
      throws IOException {
    type.addOriginatingElement(originating);
    file(packageName, type, origin).writeTo(filer);
  }
}
