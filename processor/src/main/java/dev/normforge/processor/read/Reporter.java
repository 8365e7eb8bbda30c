package dev.normforge.processor.read;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;

/**
 * Reports diagnostics at the exact element, annotation and annotation value, and remembers whether an
 * error was reported so that the caller can skip writing the broken model while it goes on checking others.
 */
public final class Reporter {
  private final Messager messager;
  private int errors;

  public Reporter(Messager messager) {
    this.messager = messager;
  }

  /** Reports {@code diagnostic} on {@code element}'s {@code annotation}'s {@code value} (each may be null). */
  public void report(
      Diagnostic diagnostic, Element element, AnnotationMirror annotation, AnnotationValue value,
      Object... args) {
    if (diagnostic.kind() == Kind.ERROR) {
      errors++;
    }
    messager.printMessage(diagnostic.kind(), diagnostic.format(args), element, annotation, value);
  }

  /** Reports {@code diagnostic} on {@code element} itself. */
  public void report(Diagnostic diagnostic, Element element, Object... args) {
    report(diagnostic, element, null, null, args);
  }

  /** Counts {@code diagnostic} printed elsewhere (on a source tree rather than an element). */
  public void count(Diagnostic diagnostic) {
    if (diagnostic.kind() == Kind.ERROR) {
      errors++;
    }
  }

  /** Errors reported so far; compare before and after reading a model to know whether it is broken. */
  public int errorCount() {
    return errors;
  }
}
