package dev.normforge.processor.emit;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.normforge.processor.model.SiteSpec;
import javax.lang.model.element.Modifier;

/** The configuration constants every generated class starts with: its hidden size, eps, and guards. */
final class SiteConstants {
  private SiteConstants() {}

  /** {@code HIDDEN} and {@code EPS}, which every generated class declares. */
  static void addHiddenAndEps(TypeSpec.Builder type, SiteSpec site) {
    type.addField(FieldSpec.builder(TypeName.INT, "HIDDEN", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Features per row: every loop bound below is derived from it.\n")
        .initializer("$L", site.hidden()).build());
    addEps(type, site);
  }

  static void addEps(TypeSpec.Builder type, SiteSpec site) {
    type.addField(FieldSpec.builder(TypeName.DOUBLE, "EPS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Added to the variance before the square root.\n")
        .initializer("$L", site.eps()).build());
  }

  /** The guards of the row kernels' float fast path. */
  static void addGuards(TypeSpec.Builder type) {
    type.addField(FieldSpec.builder(TypeName.FLOAT, "MIN_SAFE_SUM", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("A row's sum of squares below this may have lost precision to underflow (or the row is constant).\n")
        .initializer("1e-30f").build());
    type.addField(FieldSpec.builder(TypeName.FLOAT, "MAX_SAFE_SUM", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("A row's sum of squares above this may have overflowed float.\n")
        .initializer("1e36f").build());
  }
}
