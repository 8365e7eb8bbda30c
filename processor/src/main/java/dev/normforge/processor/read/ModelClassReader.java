package dev.normforge.processor.read;

import com.palantir.javapoet.ClassName;
import dev.normforge.processor.contract.RuntimeTypes;
import dev.normforge.processor.model.ModelClassSpec;
import dev.normforge.processor.model.SiteMember;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Whether the model class can implement a {@code @NormModel} interface (or extend a class): it must be
 * able to override every site method, set every site field, and leave nothing abstract. When it cannot, a
 * warning says why and the site classes are generated as before.
 */
final class ModelClassReader {
  /** Members of the generated model class besides its sites, which a site must not be named as. */
  static final Set<String> OWN_MEMBERS = Set.of("stateDict", "DESCRIPTION", "create");

  private final Elements elements;
  private final Types types;
  private final Reporter reporter;

  ModelClassReader(Elements elements, Types types, Reporter reporter) {
    this.elements = elements;
    this.types = types;
    this.reporter = reporter;
  }

  /**
   * The model class of {@code owner} (annotated {@code model}) with its {@code members} (one per site, keyed
   * by the site's element, in declaration order); null, after a warning, when it cannot be generated.
   */
  ModelClassSpec read(TypeElement owner, AnnotationValues model, Map<Element, SiteMember> members) {
    String className = ModelClassSpec.PREFIX + ModelReader.generatedPrefix(owner);
    String pkg = elements.getPackageOf(owner).getQualifiedName().toString();
    String qualified = pkg.isEmpty() ? className : pkg + "." + className;
    TypeElement existing = elements.getTypeElement(qualified);
    if (existing != null && !ModelReader.isOurs(existing)) {
      reporter.report(Diagnostic.NAME_EXISTS, owner, model.mirror(), null, className, qualified);
      return null;
    }
    String problem = problem(owner, members);
    if (problem != null) {
      reporter.report(Diagnostic.MODEL_CLASS, owner, model.mirror(), null, className, problem);
      return null;
    }
    return new ModelClassSpec(className, ClassName.get(owner), owner.getKind() == ElementKind.CLASS,
        List.copyOf(members.values()));
  }

  /** Why the model class cannot implement {@code owner}, or null. */
  private String problem(TypeElement owner, Map<Element, SiteMember> members) {
    String name = owner.getSimpleName().toString();
    Set<Modifier> modifiers = owner.getModifiers();
    if (owner.getKind() != ElementKind.INTERFACE && owner.getKind() != ElementKind.CLASS) {
      return name + " is " + article(owner.getKind()) + ", which a class cannot extend";
    }
    if (modifiers.contains(Modifier.FINAL) || modifiers.contains(Modifier.SEALED)) {
      return name + " is " + (modifiers.contains(Modifier.FINAL) ? "final" : "sealed");
    }
    if (owner.getKind() == ElementKind.CLASS) {
      if (owner.getNestingKind() == NestingKind.MEMBER && !modifiers.contains(Modifier.STATIC)) {
        return name + " is an inner class: make it static";
      }
      boolean constructor = ElementFilter.constructorsIn(owner.getEnclosedElements()).stream()
          .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE)
              && c.getThrownTypes().isEmpty());
      if (!constructor) {
        return name + " has no constructor without parameters that a subclass can call (not private, throwing nothing)";
      }
    }
    for (Map.Entry<Element, SiteMember> e : members.entrySet()) {
      String site = e.getValue().call();
      Set<Modifier> m = e.getKey().getModifiers();
      if (OWN_MEMBERS.contains(e.getKey().getSimpleName().toString())) {
        return "the site " + site + " has the name of a member of the model class: rename it";
      }
      if (e.getValue().field() && (owner.getKind() == ElementKind.INTERFACE || m.contains(Modifier.STATIC)
          || m.contains(Modifier.FINAL) || m.contains(Modifier.PRIVATE))) {
        return "the site field " + site + " is static, final or private, so the model class cannot set it";
      }
      if (!e.getValue().field() && (m.contains(Modifier.STATIC) || m.contains(Modifier.FINAL)
          || m.contains(Modifier.PRIVATE) || !((ExecutableElement) e.getKey()).getTypeParameters().isEmpty())) {
        return "the site " + site + " is static, final, private or generic, so the model class cannot override it";
      }
    }
    TypeElement module = elements.getTypeElement(RuntimeTypes.NORM_MODULE.canonicalName());
    TypeElement object = elements.getTypeElement("java.lang.Object");
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(owner))) {
      Element declaring = method.getEnclosingElement();
      if (members.containsKey(method) || declaring.equals(module) || declaring.equals(object)) {
        continue;
      }
      ExecutableElement moduleMethod = module == null ? null : moduleMethod(module, method);
      if (moduleMethod != null && !(method.getModifiers().contains(Modifier.ABSTRACT)
          && types.isSameType(types.erasure(method.getReturnType()), types.erasure(moduleMethod.getReturnType())))) {
        return "its method " + method.getSimpleName() + "() would clash with NormModule's, which the model class "
            + "implements: rename it";
      }
      if (moduleMethod == null && method.getModifiers().contains(Modifier.ABSTRACT) && !isObjectMethod(method, object)) {
        return "it declares the abstract method " + ModelReader.describe(method) + ", which is not a @Norm site";
      }
    }
    return null;
  }

  /** The method of {@code NormModule} that {@code method} has the signature of (no parameters, same name), or null. */
  private static ExecutableElement moduleMethod(TypeElement module, ExecutableElement method) {
    if (!method.getParameters().isEmpty() || method.getModifiers().contains(Modifier.STATIC)) {
      return null;
    }
    return ElementFilter.methodsIn(module.getEnclosedElements()).stream()
        .filter(m -> m.getSimpleName().equals(method.getSimpleName()))
        .findFirst().orElse(null);
  }

  /** An interface's abstract redeclaration of a public method of {@code Object} ({@code String toString();}). */
  private boolean isObjectMethod(ExecutableElement method, TypeElement object) {
    return ElementFilter.methodsIn(object.getEnclosedElements()).stream()
        .anyMatch(o -> o.getModifiers().contains(Modifier.PUBLIC) && o.getSimpleName().equals(method.getSimpleName())
            && sameParameters(o, method));
  }

  private boolean sameParameters(ExecutableElement a, ExecutableElement b) {
    if (a.getParameters().size() != b.getParameters().size()) {
      return false;
    }
    for (int i = 0; i < a.getParameters().size(); i++) {
      if (!types.isSameType(types.erasure(a.getParameters().get(i).asType()),
          types.erasure(b.getParameters().get(i).asType()))) {
        return false;
      }
    }
    return true;
  }

  private static String article(ElementKind kind) {
    String k = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return ("aeiou".indexOf(k.charAt(0)) >= 0 ? "an " : "a ") + k;
  }
}
