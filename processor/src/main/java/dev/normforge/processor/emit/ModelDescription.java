package dev.normforge.processor.emit;

import dev.normforge.processor.model.ModelClassSpec;
import dev.normforge.processor.model.ModelSpec;
import dev.normforge.processor.model.RowTraffic;
import dev.normforge.processor.model.SiteMember;
import dev.normforge.processor.model.SiteSpec;
import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * A model's description, in Markdown: one table row per site (its tensors, configuration, alpha and beta with
 * where they came from, parameter count, bytes per row, generated class). The model class's
 * {@code describe()} returns it, and the processor writes it as the resource
 * {@code META-INF/normforge/<model>.md} beside the classes. Deterministic: same model, same text.
 */
public final class ModelDescription {
  private ModelDescription() {}

  /** The resource's path in the class output: {@code META-INF/normforge/dev.example.TinyGpt.md}. */
  public static String resourcePath(ModelSpec model) {
    return "META-INF/normforge/" + model.qualifiedName() + ".md";
  }

  /** Writes the description of {@code model} as its resource, originating from {@code owner}. */
  public static void write(Filer filer, ModelSpec model, Element owner) throws IOException {
    FileObject resource = filer.createResource(StandardLocation.CLASS_OUTPUT, "", resourcePath(model), owner);
    try (Writer out = resource.openWriter()) {
      out.write(text(model));
    }
  }

  /** The description of {@code model}, whose model class is generated. */
  public static String text(ModelSpec model) {
    ModelClassSpec spec = model.modelClass();
    long instances = 0;
    long parameters = 0;
    long buffers = 0;
    for (SiteMember m : spec.members()) {
      instances += m.layers();
      parameters += m.parameterCount();
      buffers += (long) m.bufferNames().size() * m.site().hidden() * m.layers();
    }
    String simpleName = model.qualifiedName().substring(model.qualifiedName().lastIndexOf('.') + 1);
    StringBuilder b = new StringBuilder();
    b.append("# ").append(simpleName).append("\n\n");
    b.append(format("`%s`, implemented by the generated `%s`: %d encoder and %d decoder layers; %d sites, %d site "
            + "instances; %,d parameters (%,d bytes as float32), %,d buffer values.\n\n",
        model.qualifiedName(), qualified(model.packageName(), spec.className()), model.encoderLayers(),
        model.decoderLayers(), spec.members().size(), instances, parameters, 4 * parameters, buffers));
    b.append("| site | tensors | type | placement | hidden | eps | alpha | beta | parameters "
        + "| forward bytes/row read / written | backward bytes/row read / written | class |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (SiteMember m : spec.members()) {
      SiteSpec site = m.site();
      RowTraffic traffic = RowTraffic.of(site);
      b.append(format("| `%s`%s | %s | %s | %s | %d | %s | %s | %s | %s | %,d / %,d | %,d / %,d | `%s` |\n",
          m.call(), m.perLayer() ? " × " + m.layers() + " (" + m.layersFrom() + ")" : "",
          m.tensorNames().isEmpty() ? "none" : "`" + String.join("`, `", m.tensorNames()) + "`",
          site.type(), site.placement(), site.hidden(), site.eps(),
          constant(site, site.alpha(), m.alphaFrom()), constant(site, site.beta(), m.betaFrom()),
          m.perLayer() ? format("%,d (%,d per layer)", m.parameterCount(), m.parameterCount() / m.layers())
              : format("%,d", m.parameterCount()),
          traffic.forwardRead(), traffic.forwardWritten(), traffic.backwardRead(), traffic.backwardWritten(),
          site.className()));
    }
    b.append("\n");
    b.append("- alpha, beta: a block's residual scale (`alpha·x`) and DeepNet's initialisation gain, each given in "
        + "the annotation, 1 by default, or DeepNet's formula of the layer counts (N encoder, M decoder layers); "
        + "– for a standalone norm.\n");
    b.append("- bytes/row: float32 bytes per row that the site's own kernels read / write in a training forward "
        + "and in a backward: each row-sized array once per sweep over the rows, 4 per per-row statistic (mean, "
        + "rstd); a block's sublayer and the per-feature parameters are not counted.\n");
    return b.toString();
  }

  /** {@code alpha}'s value and where it came from, or – for a standalone norm. */
  private static String constant(SiteSpec site, double value, String from) {
    return site.isBlock() ? value + " (" + from + ")" : "–";
  }

  private static String qualified(String pkg, String simpleName) {
    return pkg.isEmpty() ? simpleName : pkg + "." + simpleName;
  }

  private static String format(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
