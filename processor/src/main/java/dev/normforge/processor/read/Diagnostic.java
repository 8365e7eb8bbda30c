package dev.normforge.processor.read;

import javax.tools.Diagnostic.Kind;

/**
 * Every message the processor can report, in one place. Each has a stable id, printed as
 * {@code [normforge.id]} at the start of the message, so users can search for it and tests can assert it.
 * Messages say what is wrong, where, and how to fix it.
 */
public enum Diagnostic {
  HIDDEN_MISSING(Kind.ERROR, "hidden.missing",
      "%s has no hidden size: set @Norm(hidden = ...) on it or @NormModel(hidden = ...) on its model"),
  HIDDEN_RANGE(Kind.ERROR, "hidden",
      "hidden = %s is out of range: a row must have between 1 and %d features"),
  EPS(Kind.ERROR, "eps",
      "eps = %s is invalid: it must be finite and >= 0 (PyTorch's default is 1e-5)"),
  EPS_ZERO(Kind.WARNING, "eps.zero",
      "eps = 0: a constant row (or an all-zero row for RMS) divides by zero and gives NaN; PyTorch's default is 1e-5"),
  ALPHA(Kind.ERROR, "alpha",
      "alpha = %s is invalid: the residual scale must be finite and > 0"),
  BETA(Kind.ERROR, "beta",
      "beta = %s is invalid: the initialisation gain must be finite and > 0"),
  FLOAT(Kind.ERROR, "float",
      "%s = %s does not fit a float, the precision the generated kernels compute in (there it would be %s): "
          + "its magnitude must be at most 3.4028235E38 and, unless it is 0, at least 1.4E-45"),
  MOMENTUM(Kind.ERROR, "momentum",
      "momentum = %s is invalid: it must be in (0, 1] (PyTorch's default is 0.1)"),
  BATCH_ONLY(Kind.ERROR, "batch.only",
      "%s applies only to type = BATCH, but this site is %s: remove it, or did you mean type = BATCH?"),
  DEEP_ONLY(Kind.ERROR, "deep.only",
      "%s applies only to type = DEEP, but this site is %s: remove it, or did you mean type = DEEP?"),
  RANGE(Kind.ERROR, "range",
      "%s = %s is invalid: it must be %s"),
  ONLY_FOR(Kind.ERROR, "only",
      "%s applies only to %s, but this site has %s: remove it"),
  BETA_NOT_BLOCK(Kind.ERROR, "beta.block",
      "beta is DeepNet's initialisation gain and applies only to residual blocks; this site is standalone (placement NONE)"),
  DEEP_PRE(Kind.ERROR, "deep.pre",
      "DEEP is a Post-Norm block (LayerNorm(alpha·x + F(x))): placement = %s is not allowed; "
          + "remove placement (DEEP means POST), or use type = LAYER for a %s block"),
  DEEP_NONE(Kind.ERROR, "deep.none",
      "DEEP is a residual block: placement = NONE is not allowed; remove placement (DEEP means POST), "
          + "or use type = LAYER for a standalone LayerNorm"),
  DEEP_LAYERS(Kind.ERROR, "deep.layers",
      "DEEP needs alpha and beta: give the model's layer counts (@NormModel(encoderLayers = N and/or "
          + "decoderLayers = M)) or set both alpha and beta on this site"),
  DEEP_STACK(Kind.ERROR, "deep.stack",
      "this model has encoder and decoder layers, so DeepNet's constants depend on the stack: "
          + "set stack = Stack.ENCODER or stack = Stack.DECODER"),
  DEEP_STACK_EMPTY(Kind.ERROR, "deep.stack.empty",
      "stack = %s, but the model has no %s layers (%s = 0): set the layer count on @NormModel, or the other stack"),
  LAYERS(Kind.ERROR, "layers",
      "%s = %s is invalid: a layer count must be between 0 and %d"),
  BATCH_BIAS(Kind.ERROR, "batch.bias",
      "bias = %s differs from affine = %s: BatchNorm has one flag for weight and bias (PyTorch's affine); "
          + "remove bias, it follows affine"),
  RETURN_TYPE(Kind.ERROR, "type",
      "%s must %s %s for %s, but it is %s"),
  ELEMENT_KIND(Kind.ERROR, "element",
      "@Norm belongs on a method (without parameters, or with one int parameter for a per-layer site) or a field of a @NormModel type, not on %s"),
  NOT_IN_MODEL(Kind.ERROR, "model.missing",
      "@Norm on %s outside a @NormModel type needs its own hidden size: set @Norm(hidden = ...) or annotate %s with @NormModel"),
  MODEL_KIND(Kind.ERROR, "model.kind",
      "@NormModel belongs on a class or interface, not on %s"),
  MODEL_PRIVATE(Kind.ERROR, "model.private",
      "a @NormModel type must not be private: the generated classes in its package refer to it in javadoc and must see it; make %s package-private or public"),
  MODEL_LOCAL(Kind.ERROR, "model.local",
      "a @NormModel type must be a top-level or member type, not a local or anonymous class"),
  MODEL_GENERIC(Kind.ERROR, "model.generic",
      "a @NormModel type must not be generic: %s has type parameters %s, but generated kernels are for one fixed configuration"),
  NAME_CLASH(Kind.ERROR, "name.clash",
      "the generated class %s would clash with %s: rename this site"),
  NAME_EXISTS(Kind.ERROR, "name.exists",
      "the generated class %s would replace the existing type %s: rename this site or that type"),
  LAYERS_MISSING(Kind.ERROR, "layers.missing",
      "%s is a per-layer site (one instance per layer), but %s"),
  LAYERS_STACK(Kind.ERROR, "layers.stack",
      "%s is a per-layer site of a model with encoder and decoder layers (encoderLayers = %d, decoderLayers = %d): "
          + "set stack = Stack.ENCODER or stack = Stack.DECODER, or layers = N"),
  LAYER_PARAMETER(Kind.ERROR, "layer.parameter",
      "a per-layer site takes exactly one int parameter, the layer index, but %s"),
  NAME_LAYER(Kind.ERROR, "name.layer",
      "name = \"%s\" %s"),
  NAME_INVALID(Kind.ERROR, "name.invalid",
      "name = \"%s\" is not a valid tensor name: %s"),
  NAME_DUPLICATE(Kind.ERROR, "name.duplicate",
      "the tensor %s of %s is also a tensor of %s: give one of them another @Norm(name = ...)"),
  MODEL_CLASS(Kind.WARNING, "model.class",
      "no model class %s is generated: %s; the site classes are generated as usual"),
  NAME_TAKEN(Kind.ERROR, "name.taken",
      "the generated class %s is also the class generated for %s (another model of this build): rename one of the two sites"),
  NAME_LONG(Kind.ERROR, "name.long",
      "the generated class name %s... is %d bytes long in UTF-8, more than the %d a class file name may have here "
          + "(file systems allow 255 bytes, and nested classes add to it): shorten the site's or the model's name"),
  UNRESOLVED(Kind.ERROR, "unresolved",
      "an annotation value of %s could not be resolved by the last round of processing (a constant of a class that "
          + "no processor generated, or an error javac reports beside this one): nothing was generated for it"),
  SITE_LOCAL(Kind.ERROR, "site.local",
      "@Norm on a member of a local or anonymous class is never seen by annotation processing: declare the site in "
          + "a top-level or member type"),
  INTERNAL(Kind.ERROR, "internal",
      "normforge failed on this element (a bug; please report it with this message): %s");

  private final Kind kind;
  private final String id;
  private final String format;

  Diagnostic(Kind kind, String id, String format) {
    this.kind = kind;
    this.id = "normforge." + id;
    this.format = format;
  }

  /** Error or warning. */
  public Kind kind() {
    return kind;
  }

  /** The stable id, e.g. {@code normforge.eps}. */
  public String id() {
    return id;
  }

  /** The message with its id: {@code [normforge.eps] eps = -1.0 is invalid: ...}. */
  public String format(Object... args) {
    return "[" + id + "] " + String.format(java.util.Locale.ROOT, format, args);
  }
}
