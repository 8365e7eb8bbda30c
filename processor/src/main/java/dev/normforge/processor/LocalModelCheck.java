package dev.normforge.processor;

import com.google.auto.service.AutoService;
import dev.normforge.processor.read.Diagnostic;
import dev.normforge.processor.read.LocalModels;
import dev.normforge.processor.read.Reporter;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Reports {@code @NormModel} on local and anonymous classes ({@link LocalModels}) in every round, including
 * rounds without a normforge annotation javac can see: javac calls {@link NormProcessor} only for rounds
 * holding its annotations, and an annotation inside a method body is not among them. It supports every
 * annotation ("*") to be called always, and claims none (process returns false), so other processors and
 * javac's lint see them as before.
 */
@AutoService(Processor.class)
public final class LocalModelCheck extends AbstractProcessor {
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("*");
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
    } catch (RuntimeException | Error e) {
      reporter.report(Diagnostic.INTERNAL, null, NormProcessor.stackTrace(e));
    }
    return false;
  }
}
