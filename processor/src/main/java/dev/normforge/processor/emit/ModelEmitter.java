package dev.normforge.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.model.ModelClassSpec;
import dev.normforge.processor.model.ModelSpec;
import dev.normforge.processor.model.SiteMember;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * A {@code @NormModel} type -> its model class, {@code Normforge<Model>}: implements the model interface
 * (or extends the model class) and {@code NormModule}; creates every site instance in its constructor (one
 * per single site, one per layer for a per-layer site) and collects their tensors under their names; its
 * site methods return the instances, per-layer ones after a bounds check.
 */
public final class ModelEmitter {
  private ModelEmitter() {}

  public static TypeSpec.Builder emit(ModelSpec model) {
    ModelClassSpec spec = model.modelClass();
    ClassName self = ClassName.get(model.packageName(), spec.className());
    TypeSpec.Builder type = TypeSpec.classBuilder(spec.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc(javadoc(model));
    if (spec.extendsClass()) {
      type.superclass(spec.modelType());
    } else {
      type.addSuperinterface(spec.modelType());
    }
    type.addSuperinterface(RuntimeTypes.NORM_MODULE);

    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addStatement("$T tensors = new $T()", RuntimeTypes.MODEL_TENSORS, RuntimeTypes.MODEL_TENSORS);
    List<MethodSpec> siteMethods = new ArrayList<>();
    for (SiteMember member : spec.members()) {
      ClassName site = ClassName.get(model.packageName(), member.site().className());
      String name = member.site().siteName();
      if (member.perLayer()) {
        type.addField(FieldSpec.builder(ArrayTypeName.of(site), name, Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("The instances of {@code $L}, one per layer ($L).\n", member.call(), member.layersFrom())
            .initializer("new $T[$L]", site, member.layers())
            .build());
        constructor.beginControlFlow("for (int layer = 0; layer < $L; layer++)", member.layers())
            .addStatement("this.$N[layer] = new $T()", name, site)
            .addStatement("tensors.add($S, layer, this.$N[layer])", member.tensorName(), name)
            .endControlFlow();
        siteMethods.add(siteMethod(member)
            .addParameter(TypeName.INT, member.layerParameter())
            .addJavadoc("Layer {@code $L} of {@code $L}: one {@link $T} per layer ($L),\ncreated with the model.\n",
                member.layerParameter(), member.call(), site, member.layersFrom())
            .addJavadoc(tensorsJavadoc(member))
            .addJavadoc("\n@throws IndexOutOfBoundsException unless {@code 0 <= $L < $L}\n", member.layerParameter(),
                member.layers())
            .addStatement("return this.$N[$T.check($N, $L, $S)]", name, RuntimeTypes.LAYER_INDEX,
                member.layerParameter(), member.layers(), name)
            .build());
      } else if (member.field()) {
        // a field of the model class: set here, read by the user's code
        constructor.addStatement("this.$N = new $T()", name, site)
            .addStatement("tensors.add($S, this.$N)", member.tensorName(), name);
      } else {
        type.addField(FieldSpec.builder(site, name, Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("The instance of {@code $L}.\n", member.call())
            .build());
        constructor.addStatement("this.$N = new $T()", name, site)
            .addStatement("tensors.add($S, this.$N)", member.tensorName(), name);
        siteMethods.add(siteMethod(member)
            .addJavadoc("The one {@link $T} of {@code $L}, created with the model.\n", site, member.call())
            .addJavadoc(tensorsJavadoc(member))
            .addStatement("return this.$N", name)
            .build());
      }
    }
    type.addField(FieldSpec.builder(String.class, "DESCRIPTION", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("What {@link #describe()} returns; also the resource {@code $L}.\n",
            ModelDescription.resourcePath(model))
        .initializer("$S", ModelDescription.text(model))
        .build());
    type.addField(FieldSpec.builder(RuntimeTypes.STATE_DICT, "stateDict", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("Every site instance's tensors, by name.\n")
        .build());
    constructor.addStatement("this.stateDict = tensors.build()");
    type.addMethod(constructor.build());
    type.addMethod(MethodSpec.methodBuilder("create")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(self)
        .addJavadoc("A new model: every site instance created, weights at their initial values, zero gradients.\n")
        .addStatement("return new $T()", self)
        .build());
    type.addMethods(siteMethods);
    type.addMethod(MethodSpec.methodBuilder("stateDict")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(RuntimeTypes.STATE_DICT)
        .addStatement("return this.stateDict")
        .build());
    type.addMethod(MethodSpec.methodBuilder("describe")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(String.class)
        .addStatement("return DESCRIPTION")
        .build());
    return type;
  }

  /** The override of a site method: its name, access and declared return type. */
  private static MethodSpec.Builder siteMethod(SiteMember member) {
    return MethodSpec.methodBuilder(member.site().siteName())
        .addAnnotation(Override.class)
        .addModifiers(member.access())
        .returns(member.declaredType());
  }

  private static CodeBlock tensorsJavadoc(SiteMember member) {
    if (member.tensorNames().isEmpty()) {
      return CodeBlock.of("It has no tensors.\n");
    }
    return CodeBlock.of("Its tensors: {@code $L}.\n", String.join("}, {@code ", member.tensorNames()));
  }

  private static CodeBlock javadoc(ModelSpec model) {
    ModelClassSpec spec = model.modelClass();
    CodeBlock.Builder b = CodeBlock.builder()
        .add("The model class of {@link $T}: it $L the model type and {@code NormModule}; {@link #create()}\n",
            spec.modelType(), spec.extendsClass() ? "extends" : "implements")
        .add("makes a new model.\n\n")
        .add("<p>The constructor creates every site instance (one per single site, one per layer for a per-layer\n")
        .add("site) and holds it in a final field, so a model may be shared between threads once created; the\n")
        .add("thread rules of the sites themselves apply. Sites:\n\n<ul>\n");
    for (SiteMember member : spec.members()) {
      b.add("  <li>{@code $L}$L: {@link $L}\n", member.call(),
          member.perLayer() ? " × " + member.layers() + " (" + member.layersFrom() + ")" : "",
          member.site().className());
    }
    return b.add("</ul>\n").build();
  }
}
