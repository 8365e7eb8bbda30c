package dev.normforge.processor.read;

import com.palantir.javapoet.ClassName;
import dev.normforge.annotations.NormType;
import dev.normforge.annotations.Placement;
import dev.normforge.annotations.Stack;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.model.ModelClassSpec;
import dev.normforge.processor.model.ModelSpec;
import dev.normforge.processor.model.RowNormRecipe;
import dev.normforge.processor.model.SiteMember;
import dev.normforge.processor.model.SiteSpec;
import dev.normforge.runtime.DeepNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Annotated elements -> a validated {@link ModelSpec}, or diagnostics. Reads every site of a model even
 * after an error, so one build shows all of them; returns null when anything was wrong.
 */
public final class ModelReader {
  /** The qualified names of the two annotations, read through mirrors (the processor never loads them). */
  public static final String NORM_MODEL = "dev.normforge.annotations.NormModel";
  public static final String NORM = "dev.normforge.annotations.Norm";

  /** Largest accepted hidden size: larger is surely a typo (a row of 4 MiB). */
  public static final int MAX_HIDDEN = 1 << 20;

  /**
   * Longest generated class name, in UTF-8 bytes: file systems allow 255 per file name, and the class files
   * of nested classes ({@code Name$Norm2.class}) and the {@code RuntimeSized} variant add to it.
   */
  public static final int MAX_NAME_BYTES = 200;

  /** Largest accepted layer count (DeepNet went to 1,000; this leaves room). */
  public static final int MAX_LAYERS = 100_000;

  private final Elements elements;
  private final Types types;
  private final Reporter reporter;

  public ModelReader(Elements elements, Types types, Reporter reporter) {
    this.elements = elements;
    this.types = types;
    this.reporter = reporter;
  }

  /**
   * Whether javac has resolved every annotation value of the model {@code owner} and its {@code sites}. One
   * that names a constant of a class generated in this build resolves only in a later round: the caller
   * retries the model then (reading it now would drop the site or misread the value).
   */
  public static boolean resolved(TypeElement owner, List<? extends Element> sites, Elements elements) {
    if (!AnnotationValues.resolved(owner, NORM_MODEL, elements)) {
      return false;
    }
    return sites.stream().allMatch(site -> AnnotationValues.resolved(site, NORM, elements));
  }

  /**
   * Reads {@code owner}, a type annotated {@code @NormModel} or one enclosing {@code @Norm} elements
   * without it, with its {@code @Norm} elements {@code sites} in source order.
   */
  public ModelSpec read(TypeElement owner, List<? extends Element> sites) {
    int errorsBefore = reporter.errorCount();
    AnnotationValues model = AnnotationValues.of(owner, NORM_MODEL, elements);
    int hidden = 0;
    int n = 0;
    int m = 0;
    if (model != null) {
      checkModelType(owner, model);
      hidden = model.intValue("hidden");
      n = model.intValue("encoderLayers");
      m = model.intValue("decoderLayers");
      if (model.isGiven("hidden") && (hidden < 1 || hidden > MAX_HIDDEN)) {
        reporter.report(Diagnostic.HIDDEN_RANGE, owner, model.mirror(), model.given("hidden"), hidden, MAX_HIDDEN);
      }
      n = checkLayers(owner, model, "encoderLayers", n);
      m = checkLayers(owner, model, "decoderLayers", m);
    }
    String prefix = generatedPrefix(owner);
    List<SiteSpec> specs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    MemberReader memberReader = new MemberReader(elements, reporter);
    Map<Element, SiteMember> members = new LinkedHashMap<>();
    boolean broken = false;
    for (Element site : sites) {
      try {
        SiteSpec spec = readSite(owner, model, site, hidden, n, m, prefix);
        if (spec != null) {
          checkName(owner, site, spec, names);
          specs.add(spec);
        }
        SiteMember member = memberReader.read(owner, model, site, spec, n, m);
        if (member != null) {
          memberReader.checkDuplicates(member, site);
          members.put(site, member);
        }
      } catch (AnnotationValues.Unreadable javacReportedIt) {
        broken = true;
      }
    }
    if (broken || reporter.errorCount() > errorsBefore) {
      return null;
    }
    ModelClassSpec modelClass = model == null ? null
        : new ModelClassReader(elements, types, reporter).read(owner, model, members);
    if (reporter.errorCount() > errorsBefore) {
      return null;
    }
    return new ModelSpec(
        elements.getPackageOf(owner).getQualifiedName().toString(),
        owner.getQualifiedName().toString(), n, m, specs, modelClass);
  }

  private void checkModelType(TypeElement owner, AnnotationValues model) {
    if (owner.getKind() == ElementKind.ANNOTATION_TYPE) {
      reporter.report(Diagnostic.MODEL_KIND, owner, model.mirror(), null, "an annotation type");
    }
    if (owner.getNestingKind() == NestingKind.LOCAL || owner.getNestingKind() == NestingKind.ANONYMOUS) {
      reporter.report(Diagnostic.MODEL_LOCAL, owner, model.mirror(), null);
      return;
    }
    for (Element e = owner; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      if (t.getModifiers().contains(Modifier.PRIVATE)) {
        reporter.report(Diagnostic.MODEL_PRIVATE, owner, model.mirror(), null, t.getSimpleName());
      }
    }
    if (!owner.getTypeParameters().isEmpty()) {
      reporter.report(Diagnostic.MODEL_GENERIC, owner, model.mirror(), null,
          owner.getSimpleName(), owner.getTypeParameters());
    }
  }

  private int checkLayers(TypeElement owner, AnnotationValues model, String name, int value) {
    if (value < 0 || value > MAX_LAYERS) {
      reporter.report(Diagnostic.LAYERS, owner, model.mirror(), model.given(name), name, value, MAX_LAYERS);
      return 0;
    }
    return value;
  }

  private SiteSpec readSite(
      TypeElement owner, AnnotationValues model, Element site, int modelHidden, int n, int m, String prefix) {
    AnnotationValues norm = AnnotationValues.of(site, NORM, elements);
    TypeMirror declared = declaredType(site, norm);
    if (declared == null) {
      return null;
    }
    int errorsBefore = reporter.errorCount();
    NormType type = norm.enumValue("type", NormType.class);
    Placement placement = resolvePlacement(type, norm.enumValue("placement", Placement.class), declared);

    int hidden = norm.intValue("hidden");
    if (norm.isGiven("hidden")) {
      if (hidden < 1 || hidden > MAX_HIDDEN) {
        reporter.report(Diagnostic.HIDDEN_RANGE, site, norm.mirror(), norm.given("hidden"), hidden, MAX_HIDDEN);
      }
    } else if (model == null) {
      reporter.report(Diagnostic.NOT_IN_MODEL, site, norm.mirror(), null, describe(site), owner.getSimpleName());
    } else if (modelHidden < 1) {
      if (!model.isGiven("hidden")) {
        reporter.report(Diagnostic.HIDDEN_MISSING, site, norm.mirror(), null, describe(site));
      }
    } else {
      hidden = modelHidden;
    }

    double eps = norm.doubleValue("eps");
    if (!(eps >= 0) || Double.isInfinite(eps)) {
      reporter.report(Diagnostic.EPS, site, norm.mirror(), norm.given("eps"), eps);
    } else if (!fitsFloat(eps)) {
      reportFloat(site, norm, "eps", eps);
    } else if (eps == 0) {
      reporter.report(Diagnostic.EPS_ZERO, site, norm.mirror(), norm.given("eps"));
    }
    double alpha = norm.doubleValue("alpha");
    if (norm.isGiven("alpha") && !(alpha > 0 && alpha < Double.POSITIVE_INFINITY)) {
      reporter.report(Diagnostic.ALPHA, site, norm.mirror(), norm.given("alpha"), alpha);
    } else if (norm.isGiven("alpha") && !fitsFloat(alpha)) {
      reportFloat(site, norm, "alpha", alpha);
    }
    double beta = norm.doubleValue("beta");
    if (norm.isGiven("beta")) {
      if (!(beta > 0 && beta < Double.POSITIVE_INFINITY)) {
        reporter.report(Diagnostic.BETA, site, norm.mirror(), norm.given("beta"), beta);
      } else if (!fitsFloat(beta)) {
        reportFloat(site, norm, "beta", beta);
      } else if (placement == Placement.NONE && type != NormType.DEEP) {
        reporter.report(Diagnostic.BETA_NOT_BLOCK, site, norm.mirror(), norm.given("beta"));
      }
    }
    double momentum = norm.doubleValue("momentum");
    if (norm.isGiven("momentum")) {
      if (type != NormType.BATCH) {
        reporter.report(Diagnostic.BATCH_ONLY, site, norm.mirror(), norm.given("momentum"), "momentum", type);
      } else if (!(momentum > 0 && momentum <= 1)) {
        reporter.report(Diagnostic.MOMENTUM, site, norm.mirror(), norm.given("momentum"), momentum);
      }
    }
    boolean affine = norm.booleanValue("affine");
    double weightOffset = norm.doubleValue("weightOffset");
    if (norm.isGiven("weightOffset")) {
      if (!Double.isFinite(weightOffset)) {
        reporter.report(Diagnostic.RANGE, site, norm.mirror(), norm.given("weightOffset"), "weightOffset",
            weightOffset, "a finite float");
      } else if (!fitsFloat(weightOffset)) {
        reportFloat(site, norm, "weightOffset", weightOffset);
      } else if (type == NormType.BATCH) {
        reporter.report(Diagnostic.ONLY_FOR, site, norm.mirror(), norm.given("weightOffset"), "weightOffset",
            "row norms (LAYER, RMS, DEEP)", "type = BATCH");
      } else if (!affine) {
        reporter.report(Diagnostic.ONLY_FOR, site, norm.mirror(), norm.given("weightOffset"), "weightOffset",
            "a norm with a weight", "affine = false");
      }
    }
    double partial = norm.doubleValue("partial");
    if (norm.isGiven("partial")) {
      if (!(partial > 0 && partial <= 1)) {
        reporter.report(Diagnostic.RANGE, site, norm.mirror(), norm.given("partial"), "partial", partial,
            "in (0, 1]: the share of the features the RMS is estimated from");
      } else if (type != NormType.RMS) {
        reporter.report(Diagnostic.ONLY_FOR, site, norm.mirror(), norm.given("partial"), "partial",
            "type = RMS", "type = " + type);
      }
    }
    Stack stack = norm.enumValue("stack", Stack.class);
    if (norm.isGiven("stack") && type != NormType.DEEP && !MemberReader.isPerLayer(site)) {
      reporter.report(Diagnostic.DEEP_ONLY, site, norm.mirror(), norm.given("stack"), "stack", type);
    }

    switch (type) {
      case DEEP -> {
        if (placement == Placement.PRE || placement == Placement.SANDWICH) {
          reporter.report(Diagnostic.DEEP_PRE, site, norm.mirror(), norm.given("placement"), placement, placement);
        } else if (placement == Placement.NONE) {
          reporter.report(Diagnostic.DEEP_NONE, site, norm.mirror(), norm.given("placement"));
        }
      }
      case BATCH -> {
        if (placement == Placement.SANDWICH) {
          reporter.report(Diagnostic.ONLY_FOR, site, norm.mirror(), norm.given("placement"), "placement = SANDWICH",
              "row norms (LAYER, RMS)", "type = BATCH");
        }
        if (norm.isGiven("bias") && norm.booleanValue("bias") != norm.booleanValue("affine")) {
          reporter.report(Diagnostic.BATCH_BIAS, site, norm.mirror(), norm.given("bias"),
              norm.booleanValue("bias"), norm.booleanValue("affine"));
        }
      }
      default -> { }
    }
    checkDeclaredType(site, norm, type, placement, declared);

    boolean derived = false;
    if (type == NormType.DEEP && reporter.errorCount() == errorsBefore) {
      boolean needAlpha = !norm.isGiven("alpha");
      boolean needBeta = !norm.isGiven("beta");
      if (needAlpha || needBeta) {
        stack = resolveStack(site, norm, stack, n, m);
        if (stack != null) {
          DeepNet.Stack s = DeepNet.Stack.valueOf(stack.name());
          alpha = needAlpha ? DeepNet.alpha(s, n, m) : alpha;
          beta = needBeta ? DeepNet.beta(s, n, m) : beta;
          derived = true;
        }
      }
    }
    if (reporter.errorCount() > errorsBefore) {
      return null;
    }
    boolean bias = norm.isGiven("bias") ? norm.booleanValue("bias") : type != NormType.RMS;
    bias = type == NormType.BATCH ? norm.booleanValue("affine") : bias; // BatchNorm: one flag, checked above
    return new SiteSpec(
        prefix + capitalize(site.getSimpleName().toString()),
        site.getSimpleName().toString(),
        owner.getQualifiedName() + "#" + describe(site),
        type, placement, stack, hidden, eps,
        Double.isNaN(alpha) ? 1.0 : alpha,
        Double.isNaN(beta) ? 1.0 : beta,
        affine, bias, momentum, derived,
        type == NormType.BATCH ? null
            : new RowNormRecipe(type != NormType.RMS, affine, bias, affine ? weightOffset : 0, partial));
  }

  /**
   * Whether a finite {@code value} survives the conversion to float that generated code applies to it:
   * no overflow to infinity, and no nonzero value rounded to 0.
   */
  static boolean fitsFloat(double value) {
    float f = (float) value;
    return Float.isFinite(f) && (f != 0 || value == 0);
  }

  private void reportFloat(Element site, AnnotationValues norm, String name, double value) {
    reporter.report(Diagnostic.FLOAT, site, norm.mirror(), norm.given(name), name, value, (float) value);
  }

  private Stack resolveStack(Element site, AnnotationValues norm, Stack stack, int n, int m) {
    if (n == 0 && m == 0) {
      reporter.report(Diagnostic.DEEP_LAYERS, site, norm.mirror(), null);
      return null;
    }
    if (stack == Stack.AUTO) {
      if (n > 0 && m > 0) {
        reporter.report(Diagnostic.DEEP_STACK, site, norm.mirror(), null);
        return null;
      }
      return n > 0 ? Stack.ENCODER : Stack.DECODER;
    }
    int count = stack == Stack.ENCODER ? n : m;
    if (count == 0) {
      reporter.report(Diagnostic.DEEP_STACK_EMPTY, site, norm.mirror(), norm.given("stack"), stack,
          stack.name().toLowerCase(), stack == Stack.ENCODER ? "encoderLayers" : "decoderLayers");
      return null;
    }
    return stack;
  }

  /**
   * The method's return type or the field's type; null (after an error) for any other element. A method's
   * parameters make it a per-layer site, which {@link MemberReader} checks.
   */
  private TypeMirror declaredType(Element site, AnnotationValues norm) {
    Element component = recordComponent(site);
    if (component != null) {
      // @Norm on a record component lands on its field and its accessor: one error, on the field
      if (site.getKind() == ElementKind.FIELD) {
        reporter.report(Diagnostic.ELEMENT_KIND, site, norm.mirror(), null, "the record component "
            + site.getSimpleName() + " (it would make both its field and its accessor a site): declare "
            + site.getSimpleName() + "() as a method of the record, or of an interface, instead");
      }
      return null;
    }
    if (site.getKind() == ElementKind.METHOD) {
      return ((ExecutableElement) site).getReturnType();
    }
    if (site.getKind() == ElementKind.FIELD) {
      return site.asType();
    }
    reporter.report(Diagnostic.ELEMENT_KIND, site, norm.mirror(), null, "a " + site.getKind().toString().toLowerCase());
    return null;
  }

  /**
   * The record component {@code site} stands for when it carries {@code @Norm} only because the component
   * does (its field, or an accessor whose field has it too); null otherwise.
   */
  private static Element recordComponent(Element site) {
    if (!(site.getEnclosingElement() instanceof TypeElement owner) || owner.getKind() != ElementKind.RECORD) {
      return null;
    }
    for (var component : owner.getRecordComponents()) {
      if (site.getKind() == ElementKind.FIELD && !site.getModifiers().contains(Modifier.STATIC)
          && component.getSimpleName().equals(site.getSimpleName())) {
        return component;
      }
      if (site.equals(component.getAccessor()) && owner.getEnclosedElements().stream().anyMatch(e ->
          e.getKind() == ElementKind.FIELD && e.getSimpleName().equals(site.getSimpleName())
              && e.getAnnotationMirrors().stream().anyMatch(m -> m.getAnnotationType().asElement().toString().equals(NORM)))) {
        return component;
      }
    }
    return null;
  }

  private static Placement resolvePlacement(NormType type, Placement placement, TypeMirror declared) {
    if (placement != Placement.AUTO) {
      return placement;
    }
    if (type == NormType.DEEP) {
      return Placement.POST;
    }
    if (isRuntimeType(declared, RuntimeTypes.ADD_NORM_BLOCK)) {
      return Placement.POST;
    }
    return isRuntimeType(declared, RuntimeTypes.RESIDUAL_BLOCK)
        || isRuntimeType(declared, RuntimeTypes.BATCH_NORM_RESIDUAL_BLOCK) ? Placement.PRE : Placement.NONE;
  }

  private void checkDeclaredType(
      Element site, AnnotationValues norm, NormType type, Placement placement, TypeMirror declared) {
    ClassName expected = expectedType(type, placement);
    // the block's own interface, when it has one, is as good: users call its methods without a cast
    ClassName specific = placement == Placement.NONE ? null
        : type == NormType.BATCH ? RuntimeTypes.BATCH_NORM_RESIDUAL_BLOCK
        : placement == Placement.POST ? RuntimeTypes.ADD_NORM_BLOCK : null;
    if (!isRuntimeType(declared, expected) && (specific == null || !isRuntimeType(declared, specific))) {
      String what = placement == Placement.NONE
          ? "a standalone " + type + " norm" : "a " + placement + " " + type + " block";
      reporter.report(Diagnostic.RETURN_TYPE, site, null, null, describe(site),
          site.getKind() == ElementKind.METHOD ? "return" : "have the type", expected.simpleName(), what, declared);
    }
  }

  /** The runtime interface a site's declared type must be, given its type and placement. */
  static ClassName expectedType(NormType type, Placement placement) {
    if (placement != Placement.NONE) {
      return RuntimeTypes.RESIDUAL_BLOCK;
    }
    return type == NormType.BATCH ? RuntimeTypes.BATCH_NORM_LAYER : RuntimeTypes.NORM_LAYER;
  }

  private static boolean isRuntimeType(TypeMirror type, ClassName name) {
    return type.getKind() == TypeKind.DECLARED
        && ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().contentEquals(name.canonicalName());
  }

  private void checkName(TypeElement owner, Element site, SiteSpec spec, List<String> names) {
    String pkg = elements.getPackageOf(owner).getQualifiedName().toString();
    String qualified = pkg.isEmpty() ? spec.className() : pkg + "." + spec.className();
    int bytes = spec.className().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      reporter.report(Diagnostic.NAME_LONG, site, spec.className().substring(0, 40), bytes, MAX_NAME_BYTES);
    }
    int earlier = names.indexOf(spec.className());
    TypeElement existing = elements.getTypeElement(qualified);
    if (earlier >= 0) {
      reporter.report(Diagnostic.NAME_CLASH, site, qualified, "the one generated for the site before it");
    } else if (existing != null && !isOurs(existing)) {
      reporter.report(Diagnostic.NAME_EXISTS, site, spec.className(), qualified);
    }
    names.add(spec.className());
  }

  /** A type normforge generated in an earlier build (its source is still on the source path). */
  static boolean isOurs(TypeElement existing) {
    return existing.getAnnotationMirrors().stream().anyMatch(a ->
        a.getAnnotationType().toString().equals("javax.annotation.processing.Generated")
            && a.getElementValues().values().stream()
                .anyMatch(v -> String.valueOf(v.getValue()).contains("dev.normforge.processor")));
  }

  /** {@code TinyGpt} -> {@code TinyGpt}; {@code Outer.Inner} -> {@code OuterInner}. */
  static String generatedPrefix(TypeElement owner) {
    StringBuilder sb = new StringBuilder();
    for (Element e = owner; e instanceof TypeElement t; e = e.getEnclosingElement()) {
      sb.insert(0, t.getSimpleName());
    }
    return sb.toString();
  }

  /** How messages and javadoc name a site: {@code finalNorm()}, {@code attentionNorm(int)}, the field {@code bn}. */
  static String describe(Element site) {
    if (site instanceof ExecutableElement method) {
      return site.getSimpleName() + method.getParameters().stream().map(p -> p.asType().toString())
          .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }
    return site.getSimpleName().toString();
  }

  private static String capitalize(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
