package dev.normforge.processor.read;

import com.palantir.javapoet.TypeName;
import dev.normforge.annotations.NormType;
import dev.normforge.annotations.Stack;
import dev.normforge.processor.model.SiteMember;
import dev.normforge.processor.model.SiteSpec;
import dev.normforge.runtime.DeepNet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.Elements;

/**
 * How a site sits in its model: single or per-layer (a method with one {@code int} parameter) with its
 * layer count, and the names of its tensors ({@code @Norm(name)} or the default). Reports what is wrong
 * at the parameter or the attribute; {@link #checkDuplicates} then checks the names across sites.
 */
final class MemberReader {
  private final Elements elements;
  private final Reporter reporter;
  /** Every tensor name of the model read so far, with the site it belongs to. */
  private final Map<String, Element> tensors = new HashMap<>();

  MemberReader(Elements elements, Reporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
  }

  /** Whether {@code site} is meant per layer: a method with parameters (checked by {@link #read}). */
  static boolean isPerLayer(Element site) {
    return site instanceof ExecutableElement method && !method.getParameters().isEmpty();
  }

  /**
   * The member of {@code site}, whose spec is {@code spec} (null when the site had errors), in a model with
   * {@code n} encoder and {@code m} decoder layers; null after an error.
   */
  SiteMember read(TypeElement owner, AnnotationValues model, Element site, SiteSpec spec, int n, int m) {
    int errorsBefore = reporter.errorCount();
    AnnotationValues norm = AnnotationValues.of(site, ModelReader.NORM, elements);
    NormType type = norm.enumValue("type", NormType.class);
    Stack stack = norm.enumValue("stack", Stack.class);
    boolean perLayer = isPerLayer(site);
    String parameter = perLayer ? layerParameter((ExecutableElement) site) : null;
    int layers = 1;
    String layersFrom = "";
    if (!perLayer && norm.isGiven("layers")) {
      reporter.report(Diagnostic.ONLY_FOR, site, norm.mirror(), norm.given("layers"), "layers",
          "per-layer sites (a method with one int parameter, the layer index)", "no parameter");
    } else if (perLayer && model == null) {
      reporter.report(Diagnostic.LAYERS_MISSING, site, norm.mirror(), null, ModelReader.describe(site),
          "only the model class of a @NormModel type serves per-layer sites: annotate " + owner.getSimpleName()
              + " with @NormModel");
    } else if (perLayer && norm.isGiven("layers")) {
      layers = norm.intValue("layers");
      layersFrom = "layers = " + layers;
      if (layers < 1 || layers > ModelReader.MAX_LAYERS) {
        reporter.report(Diagnostic.RANGE, site, norm.mirror(), norm.given("layers"), "layers", layers,
            "between 1 and " + ModelReader.MAX_LAYERS);
      }
    } else if (perLayer) {
      // a DEEP site deriving alpha or beta reports a missing or empty stack itself (its constants need it too)
      boolean reported = type == NormType.DEEP && !(norm.isGiven("alpha") && norm.isGiven("beta"));
      if (stack == Stack.AUTO && n > 0 && m > 0) {
        if (!reported) {
          reporter.report(Diagnostic.LAYERS_STACK, site, norm.mirror(), null, ModelReader.describe(site), n, m);
        }
      } else if (stack == Stack.AUTO && n == 0 && m == 0) {
        reporter.report(Diagnostic.LAYERS_MISSING, site, norm.mirror(), null, ModelReader.describe(site),
            "the model has no layer count: set @NormModel(decoderLayers = ...) or @NormModel(encoderLayers = ...), "
                + "or @Norm(layers = N) on this site");
      } else {
        boolean encoder = stack == Stack.ENCODER || (stack == Stack.AUTO && n > 0);
        layers = encoder ? n : m;
        layersFrom = (encoder ? "encoderLayers" : "decoderLayers") + " = " + layers;
        if (layers == 0 && !reported) {
          reporter.report(Diagnostic.DEEP_STACK_EMPTY, site, norm.mirror(), norm.given("stack"), stack,
              stack.name().toLowerCase(), encoder ? "encoderLayers" : "decoderLayers");
        }
      }
    }
    String name = tensorName(site, norm, perLayer, n > 0 && m > 0 ? stack : Stack.AUTO);
    if (spec == null || reporter.errorCount() > errorsBefore) {
      return null;
    }
    boolean field = site.getKind() == ElementKind.FIELD;
    return new SiteMember(spec, field,
        TypeName.get(field ? site.asType() : ((ExecutableElement) site).getReturnType()),
        site.getModifiers().stream().filter(mod -> mod == Modifier.PUBLIC || mod == Modifier.PROTECTED).toList(),
        parameter, layers, layersFrom, name, constantFrom(norm, "alpha", spec, n, m), constantFrom(norm, "beta", spec, n, m));
  }

  /**
   * Where a block's {@code alpha} or {@code beta} came from: {@code given}, DeepNet's formula (DEEP without
   * it), or {@code default}; empty for a standalone norm.
   */
  private static String constantFrom(AnnotationValues norm, String name, SiteSpec spec, int n, int m) {
    if (!spec.isBlock()) {
      return "";
    }
    if (norm.isGiven(name)) {
      return "given";
    }
    if (spec.type() != NormType.DEEP) {
      return "default";
    }
    DeepNet.Stack stack = DeepNet.Stack.valueOf(spec.stack().name());
    String formula = name.equals("alpha") ? DeepNet.alphaFormula(stack, n, m) : DeepNet.betaFormula(stack, n, m);
    String counts = n > 0 && m > 0 ? "N = " + n + ", M = " + m : n > 0 ? "N = " + n : "M = " + m;
    return "DeepNet " + formula + ", " + counts;
  }

  /** The name of a per-layer method's one {@code int} parameter; null after reporting what is wrong. */
  private String layerParameter(ExecutableElement method) {
    List<? extends VariableElement> parameters = method.getParameters();
    if (parameters.size() > 1) {
      reporter.report(Diagnostic.LAYER_PARAMETER, parameters.get(1),
          ModelReader.describe(method) + " has " + parameters.size() + " parameters");
      return null;
    }
    VariableElement parameter = parameters.get(0);
    if (parameter.asType().getKind() != TypeKind.INT) {
      reporter.report(Diagnostic.LAYER_PARAMETER, parameter,
          "the parameter " + parameter.getSimpleName() + " of " + ModelReader.describe(method) + " is a "
              + parameter.asType());
      return null;
    }
    return parameter.getSimpleName().toString();
  }

  /**
   * The site's name, given or by default; for a per-layer site with {@code {layer}}. {@code stack} is the
   * site's stack in a model with both stacks (its default name starts with it), AUTO otherwise.
   */
  private String tensorName(Element site, AnnotationValues norm, boolean perLayer, Stack stack) {
    if (!norm.isGiven("name")) {
      String own = snakeCase(site.getSimpleName().toString());
      if (!perLayer) {
        return own;
      }
      String prefix = stack == Stack.AUTO ? "" : stack.name().toLowerCase(java.util.Locale.ROOT) + ".";
      return prefix + "layers." + SiteMember.LAYER + "." + own;
    }
    String name = norm.stringValue("name");
    String problem = invalidity(name);
    if (problem != null) {
      reporter.report(Diagnostic.NAME_INVALID, site, norm.mirror(), norm.given("name"), name, problem);
      return name;
    }
    int placeholders = name.split("\\{layer}", -1).length - 1;
    if (perLayer && placeholders != 1) {
      reporter.report(Diagnostic.NAME_LAYER, site, norm.mirror(), norm.given("name"), name,
          (placeholders == 0 ? "has no {layer}" : "has {layer} " + placeholders + " times")
              + ", but " + ModelReader.describe(site) + " is a per-layer site: each layer's tensors need their own "
              + "names, with {layer} once where the index goes (e.g. \"model.layers.{layer}.input_layernorm\")");
    } else if (!perLayer && placeholders > 0) {
      reporter.report(Diagnostic.NAME_LAYER, site, norm.mirror(), norm.given("name"), name,
          "has {layer}, but " + ModelReader.describe(site) + " is a single site (no layer parameter): remove {layer}, "
              + "or declare the site per layer (one int parameter)");
    }
    return name;
  }

  /** Why {@code name} is not a tensor name (dot-separated parts, no whitespace, no braces but {layer}), or null. */
  static String invalidity(String name) {
    if (name.isEmpty()) {
      return "it is empty (remove name for the default)";
    }
    if (name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return "it holds whitespace or a control character";
    }
    String plain = name.replace(SiteMember.LAYER, "0");
    if (plain.indexOf('{') >= 0 || plain.indexOf('}') >= 0) {
      return "the only placeholder is {layer}";
    }
    if (plain.startsWith(".") || plain.endsWith(".") || plain.contains("..")) {
      return "it has an empty part (a leading, trailing or double dot)";
    }
    return null;
  }

  /**
   * Reports every tensor name of {@code member} (each layer's) that an earlier site of the model has too,
   * at the member's {@code name} attribute or its element.
   */
  void checkDuplicates(SiteMember member, Element site) {
    List<String> names = new ArrayList<>();
    for (int layer = 0; layer < member.layers(); layer++) {
      names.addAll(member.tensorNames(layer));
    }
    for (String name : names) {
      Element earlier = tensors.putIfAbsent(name, site);
      if (earlier != null && earlier != site) {
        AnnotationValues norm = AnnotationValues.of(site, ModelReader.NORM, elements);
        reporter.report(Diagnostic.NAME_DUPLICATE, site, norm.mirror(), norm.given("name"), name,
            ModelReader.describe(site), ModelReader.describe(earlier));
        return;
      }
    }
  }

  /** {@code attentionNorm} -> {@code attention_norm}, {@code ffnRMSNorm} -> {@code ffn_rms_norm}: PyTorch's module naming. */
  static String snakeCase(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        char before = name.charAt(i - 1);
        boolean wordStart = Character.isLowerCase(before) || Character.isDigit(before)
            || (Character.isUpperCase(before) && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1)));
        if (wordStart) {
          sb.append('_');
        }
      }
      sb.append(Character.toLowerCase(c));
    }
    return sb.toString();
  }
}
