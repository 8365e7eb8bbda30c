package dev.normforge.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * The inner class {@code Kernels} of a generated class: everything that names a Vector API type (the kernel
 * bodies, the vector constants and loop bounds, the arrays the kernels read). The generated class itself
 * names none, so the JVM can link it without {@code jdk.incubator.vector}: its base class's constructor then
 * runs first and throws the runtime's clear error ({@code VectorApi.require()}) instead of the JVM's bare
 * {@code NoClassDefFoundError} at the user's first {@code new}. The generated constructor ends by creating
 * the kernels ({@link #create}); each kernel override is one call into them ({@link #implement}).
 */
final class KernelsClass {
  private static final String NAME = "Kernels";
  private static final String FIELD = "kernels";

  private final TypeSpec.Builder type = TypeSpec.classBuilder(NAME)
      .addModifiers(Modifier.PRIVATE, Modifier.FINAL)
      .addJavadoc("The kernels and what they read: the Vector API code of this class, created by the constructor\n")
      .addJavadoc("after the base class has checked that the JVM has {@code jdk.incubator.vector}.\n");
  private final MethodSpec.Builder constructor = MethodSpec.constructorBuilder();

  /** The kernels' class, to add constants, fields and helpers to. */
  TypeSpec.Builder type() {
    return type;
  }

  /** The kernels' constructor, to add parameters and statements to; its parameters are {@link #create}'s. */
  MethodSpec.Builder constructor() {
    return constructor;
  }

  /** The last statement of the generated constructor: {@code this.kernels = new Kernels(args)}. */
  static CodeBlock create(String args) {
    return CodeBlock.of("this.$L = new $L($L);\n", FIELD, NAME, args);
  }

  /**
   * Implements {@code override} (a kernel with its body, as {@code KernelContract.implement} makes it): the
   * body moves into the kernels' method of the same name, and {@code owner} gets the override that calls it.
   */
  void implement(TypeSpec.Builder owner, MethodSpec override) {
    type.addMethod(MethodSpec.methodBuilder(override.name())
        .returns(override.returnType())
        .addParameters(override.parameters())
        .addCode(override.code())
        .build());
    String args = override.parameters().stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
    owner.addMethod(MethodSpec.methodBuilder(override.name())
        .addAnnotations(override.annotations())
        .addModifiers(override.modifiers())
        .returns(override.returnType())
        .addParameters(override.parameters())
        .addStatement("$L$L.$L($L)", override.returnType().equals(TypeName.VOID) ? "" : "return ", FIELD,
            override.name(), args)
        .build());
  }

  /** Adds the field {@code kernels} and the class itself to {@code owner}. */
  void addTo(TypeSpec.Builder owner) {
    TypeName kernels = ClassName.get("", NAME);
    owner.addField(FieldSpec.builder(kernels, FIELD, Modifier.PRIVATE, Modifier.FINAL).build());
    owner.addType(type.addMethod(constructor.build()).build());
  }
}
