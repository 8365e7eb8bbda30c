package dev.normforge.processor.read;

import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * The values of one annotation on one element, read through its mirror so that every value keeps its
 * source position (for diagnostics) and an attribute written in the source can be told from a default.
 */
final class AnnotationValues {
  private final AnnotationMirror mirror;
  private final Map<String, AnnotationValue> explicit = new HashMap<>();
  private final Map<String, AnnotationValue> effective = new HashMap<>();

  private AnnotationValues(AnnotationMirror mirror, Elements elements) {
    this.mirror = mirror;
    mirror.getElementValues().forEach((k, v) -> explicit.put(k.getSimpleName().toString(), v));
    elements.getElementValuesWithDefaults(mirror)
        .forEach((ExecutableElement k, AnnotationValue v) -> effective.put(k.getSimpleName().toString(), v));
  }

  /** The annotation of type {@code annotationName} on {@code element}, or null. */
  static AnnotationValues of(Element element, String annotationName, Elements elements) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) m.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(annotationName)) {
        return new AnnotationValues(m, elements);
      }
    }
    return null;
  }

  /**
   * Whether every value of the annotation {@code annotationName} on {@code element} (if there is one) has
   * been resolved by javac: a primitive attribute holds its boxed value, an enum attribute its constant. A
   * value naming a constant of a class not generated yet holds an error instead until a later round.
   */
  static boolean resolved(Element element, String annotationName, Elements elements) {
    AnnotationValues values = of(element, annotationName, elements);
    if (values == null) {
      return true;
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(values.mirror).entrySet()) {
      Object raw = e.getValue().getValue();
      boolean ok = switch (e.getKey().getReturnType().getKind()) {
        case INT -> raw instanceof Integer;
        case DOUBLE -> raw instanceof Double;
        case BOOLEAN -> raw instanceof Boolean;
        case DECLARED -> raw instanceof VariableElement || raw instanceof String
            || (raw instanceof javax.lang.model.type.TypeMirror t && t.getKind() != javax.lang.model.type.TypeKind.ERROR);
        default -> raw != null;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  AnnotationMirror mirror() {
    return mirror;
  }

  /** Whether the attribute is written in the source. */
  boolean isGiven(String name) {
    return explicit.containsKey(name);
  }

  /** The value written in the source, or null when the attribute takes its default (for positions). */
  AnnotationValue given(String name) {
    return explicit.get(name);
  }

  int intValue(String name) {
    return value(name, Number.class).intValue();
  }

  double doubleValue(String name) {
    return value(name, Number.class).doubleValue();
  }

  String stringValue(String name) {
    return value(name, String.class);
  }

  boolean booleanValue(String name) {
    return value(name, Boolean.class);
  }

  /** An enum attribute, as the constant of {@code type} with the same name. */
  <E extends Enum<E>> E enumValue(String name, Class<E> type) {
    String constant = value(name, VariableElement.class).getSimpleName().toString();
    try {
      return Enum.valueOf(type, constant);
    } catch (IllegalArgumentException e) {
      throw new Unreadable();
    }
  }

  private <T> T value(String name, Class<T> type) {
    AnnotationValue v = effective.get(name);
    Object raw = v == null ? null : v.getValue();
    if (!type.isInstance(raw)) {
      throw new Unreadable();
    }
    return type.cast(raw);
  }

  /**
   * A value javac could not resolve (a syntax or type error in the attribute): javac has reported it
   * already, so the reader drops the site without a message of its own.
   */
  static final class Unreadable extends RuntimeException {
    Unreadable() {
      super(null, null, false, false);
    }
  }
}
