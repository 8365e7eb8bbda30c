package dev.normforge.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;

/**
 * The model class generated for a {@code @NormModel} type: it implements the interface (or extends the
 * class) and reaches every site.
 *
 * @param className the generated class's simple name, {@code Normforge} + the model's name
 *     ({@code NormforgeTinyGpt}; {@code NormforgeOuterInner} for a nested {@code Outer.Inner})
 * @param modelType the annotated type
 * @param extendsClass whether the model is a class to extend rather than an interface to implement
 * @param members every site, in declaration order
 */
public record ModelClassSpec(String className, ClassName modelType, boolean extendsClass, List<SiteMember> members) {
  /** The prefix of the model class's name. */
  public static final String PREFIX = "Normforge";

  public ModelClassSpec {
    members = List.copyOf(members);
  }
}
