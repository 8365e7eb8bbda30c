package dev.normforge.processor;

import com.google.auto.service.AutoService;
import dev.normforge.processor.emit.ModelDescription;
import dev.normforge.processor.emit.ModelEmitter;
import dev.normforge.processor.emit.RowNormEmitter;
import dev.normforge.processor.emit.SourceWriter;
import dev.normforge.processor.emit.SiteEmitter;
import dev.normforge.processor.model.ModelSpec;
import dev.normforge.processor.model.SiteSpec;
import dev.normforge.processor.read.Diagnostic;
import dev.normforge.processor.read.GeneratedNames;
import dev.normforge.processor.read.LocalModels;
import dev.normforge.processor.read.ModelReader;
import dev.normforge.processor.read.Reporter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * The entry point javac calls: for every {@code @NormModel} type (and every type holding {@code @Norm}
 * sites without one) it reads and validates the model ({@link ModelReader}), then writes one class per
 * site ({@link SiteEmitter}). A model with any error gets nothing written; the others still do. No
 * exception escapes to javac: anything unexpected is reported as an error on the element at hand.
 *
 * <p>It claims its annotations ({@link #process} returns true), so that {@code -Xlint:all -Werror} builds
 * do not fail on javac's "No processor claimed any of these annotations": {@code @NormModel} and
 * {@code @Norm} always, and {@code @Generated} in rounds where only classes it wrote carry it (another
 * generator's {@code @Generated} stays unclaimed, for any processor that wants it). {@link LocalModelCheck}
 * runs beside it and claims nothing.
 */
@AutoService(Processor.class)
public final class NormProcessor extends AbstractProcessor {
  /** Models already handled, by qualified name: each is read and written once per compilation. */
  private final Set<String> done = new HashSet<>();
  /**
   * Models with an annotation value javac could not resolve yet (a constant of a class generated in this
   * build), by qualified name: retried each round with the round's fresh elements, reported at the last.
   */
  private final Set<String> deferred = new LinkedHashSet<>();
  /** Every class generated in this compilation, across models and rounds. */
  private final GeneratedNames generated = new GeneratedNames();

  /** The two annotations of a model, and the {@code @Generated} that marks the classes written here. */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(ModelReader.NORM_MODEL, ModelReader.NORM, SourceWriter.GENERATED.canonicalName());
  }

  /**
   * {@value #RUNTIME_SIZED}: with {@code -Anormforge.runtimeSized=true}, every standalone LayerNorm/RMSNorm
   * site also gets {@code <Site>RuntimeSized}, its kernels with the row length a constructor argument: the
   * benchmarks' baseline, rendered from the same recipe.
   */
  public static final String RUNTIME_SIZED = "normforge.runtimeSized";

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(RUNTIME_SIZED);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Reporter reporter = new Reporter(processingEnv.getMessager());
    try {
      LocalModels locals = LocalModels.of(processingEnv);
      if (locals != null) {
        locals.report(round, reporter);
      }
      Map<TypeElement, List<Element>> models = modelsOf(round);
      retryDeferred(models);
      for (Map.Entry<TypeElement, List<Element>> model : models.entrySet()) {
        processModel(model.getKey(), model.getValue(), reporter);
      }
      if (round.processingOver()) {
        for (String name : deferred) {
          reporter.report(Diagnostic.UNRESOLVED, processingEnv.getElementUtils().getTypeElement(name), name);
        }
        deferred.clear();
      }
    } catch (RuntimeException | Error e) {
      reporter.report(Diagnostic.INTERNAL, null, stackTrace(e));
    }
    return ownsAll(annotations, round);
  }

  /**
   * Whether every annotation of this round javac matched to this processor is its own: {@code @NormModel}
   * and {@code @Norm} are; {@code @Generated} is when every element carrying it names this processor.
   */
  private boolean ownsAll(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (TypeElement annotation : annotations) {
      if (annotation.getQualifiedName().contentEquals(SourceWriter.GENERATED.canonicalName())
          && !round.getElementsAnnotatedWith(annotation).stream().allMatch(NormProcessor::generatedHere)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code element}'s {@code @Generated} names this processor. */
  private static boolean generatedHere(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(SourceWriter.GENERATED.canonicalName())) {
        for (var entry : mirror.getElementValues().entrySet()) {
          // value is a String[]: a list of annotation values
          if (entry.getKey().getSimpleName().contentEquals("value")
              && entry.getValue().getValue() instanceof List<?> names
              && names.stream().anyMatch(n -> ((AnnotationValue) n).getValue().equals(NormProcessor.class.getName()))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void processModel(TypeElement owner, List<Element> sites, Reporter reporter) {
    String name = owner.getQualifiedName().toString();
    if (done.contains(name)) {
      return;
    }
    if (!ModelReader.resolved(owner, sites, processingEnv.getElementUtils())) {
      deferred.add(name);
      return;
    }
    deferred.remove(name);
    done.add(name);
    try {
      ModelSpec spec = new ModelReader(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), reporter)
          .read(owner, sites);
      if (spec == null) {
        return;
      }
      boolean runtimeSized = Boolean.parseBoolean(processingEnv.getOptions().get(RUNTIME_SIZED));
      if (!claimNames(spec, owner, sites, runtimeSized, reporter)) {
        return;
      }
      SourceWriter writer = new SourceWriter(processingEnv.getFiler());
      for (SiteSpec site : spec.sites()) {
        writer.write(spec.packageName(), SiteEmitter.emit(site), site.origin(), owner);
        if (runtimeSized && SiteEmitter.hasRuntimeSizedForm(site)) {
          writer.write(spec.packageName(), RowNormEmitter.emitRuntimeSized(site), site.origin(), owner);
        }
      }
      if (spec.modelClass() != null) {
        writer.write(spec.packageName(), ModelEmitter.emit(spec), spec.qualifiedName(), owner);
        ModelDescription.write(processingEnv.getFiler(), spec, owner);
      }
    } catch (IOException e) {
      reporter.report(Diagnostic.INTERNAL, owner, "could not write a generated file: " + e.getMessage());
    } catch (RuntimeException | Error e) {
      reporter.report(Diagnostic.INTERNAL, owner, stackTrace(e));
    }
  }

  /**
   * Takes the names of every class {@code spec} generates ({@link GeneratedNames}); false, after errors at
   * the sites involved, when one is taken by another model of this build. A model read without errors has
   * one spec per site, in source order.
   */
  private boolean claimNames(ModelSpec spec, TypeElement owner, List<Element> sites, boolean runtimeSized,
      Reporter reporter) {
    boolean free = true;
    for (int i = 0; i < spec.sites().size(); i++) {
      SiteSpec site = spec.sites().get(i);
      String qualified = spec.packageName().isEmpty() ? site.className() : spec.packageName() + "." + site.className();
      Element at = sites.size() == spec.sites().size() ? sites.get(i) : null;
      free &= generated.claim(qualified, at, site.origin(), reporter);
      if (runtimeSized && SiteEmitter.hasRuntimeSizedForm(site)) {
        free &= generated.claim(qualified + "RuntimeSized", at, site.origin(), reporter);
      }
    }
    if (spec.modelClass() != null) {
      String prefix = spec.packageName().isEmpty() ? "" : spec.packageName() + ".";
      free &= generated.claim(prefix + spec.modelClass().className(), owner, spec.qualifiedName(), reporter);
    }
    return free;
  }

  /** Adds the deferred models, as this round's elements, with their sites. */
  private void retryDeferred(Map<TypeElement, List<Element>> models) {
    for (String name : deferred) {
      TypeElement model = processingEnv.getElementUtils().getTypeElement(name);
      if (model != null && !models.containsKey(model)) {
        models.put(model, model.getEnclosedElements().stream()
            .filter(e -> e.getAnnotationMirrors().stream().anyMatch(m ->
                ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(ModelReader.NORM)))
            .map(Element.class::cast).toList());
      }
    }
  }

  /**
   * Every model of this round with its sites in source order: {@code @NormModel} types, and types that
   * hold {@code @Norm} elements without being one (the reader reports what such a site lacks).
   */
  private Map<TypeElement, List<Element>> modelsOf(RoundEnvironment round) {
    Map<TypeElement, List<Element>> models = new LinkedHashMap<>();
    TypeElement normModel = processingEnv.getElementUtils().getTypeElement(ModelReader.NORM_MODEL);
    TypeElement norm = processingEnv.getElementUtils().getTypeElement(ModelReader.NORM);
    if (normModel != null) {
      for (Element e : round.getElementsAnnotatedWith(normModel)) {
        if (e instanceof TypeElement t) {
          models.computeIfAbsent(t, k -> new ArrayList<>());
        }
      }
    }
    if (norm != null) {
      for (Element e : round.getElementsAnnotatedWith(norm)) {
        Element owner = e.getEnclosingElement();
        if (owner instanceof TypeElement t) {
          models.computeIfAbsent(t, k -> new ArrayList<>()).add(e);
        }
      }
    }
    // sites in source order, so that output and messages do not depend on javac's iteration order
    models.replaceAll((owner, sites) -> owner.getEnclosedElements().stream().filter(sites::contains).map(Element.class::cast).toList());
    return models;
  }

  static String stackTrace(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
