package dev.normforge.processor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The processor's kernel contract against the runtime it generates code for: every kernel it overrides is
 * declared by that runtime class, abstract and protected, with the same parameter types.
 */
class KernelContractTest {
  @ParameterizedTest
  @EnumSource(KernelContract.class)
  void everyKernelIsAnAbstractMethodOfItsRuntimeBase(KernelContract kernel) throws ClassNotFoundException {
    Class<?> owner = Class.forName(kernel.owner().canonicalName());
    List<Class<?>> expected = kernel.parameters().stream()
        .map(p -> KernelContract.type(p).equals(com.palantir.javapoet.TypeName.INT) ? int.class : float[].class)
        .<Class<?>>map(c -> c)
        .toList();
    Method match = null;
    for (Class<?> c = owner; c != null && match == null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(kernel.method()) && Arrays.asList(m.getParameterTypes()).equals(expected)) {
          match = m;
        }
      }
    }
    assertTrue(match != null, owner.getName() + " declares no " + kernel.method() + expected);
    assertTrue(Modifier.isAbstract(match.getModifiers()), match + " is not abstract");
    assertTrue(Modifier.isProtected(match.getModifiers()), match + " is not protected");
    assertEquals(void.class, match.getReturnType(), match + " does not return void");
  }

  @ParameterizedTest
  @EnumSource(KernelContract.class)
  void everyAbstractKernelOfABaseIsInTheContract(KernelContract kernel) throws ClassNotFoundException {
    Class<?> owner = Class.forName(kernel.owner().canonicalName());
    for (Method m : owner.getDeclaredMethods()) {
      if (Modifier.isAbstract(m.getModifiers()) && Modifier.isProtected(m.getModifiers())) {
        boolean declared = Arrays.stream(KernelContract.values())
            .anyMatch(k -> k.owner().equals(kernel.owner()) && k.method().equals(m.getName()));
        assertTrue(declared, m + " is abstract in the runtime but no KernelContract entry implements it");
      }
    }
  }
}
