package dev.normforge.runtime.internal;

/**
 * The start-up check that this JVM has the Vector API ({@code jdk.incubator.vector}), which every generated
 * kernel uses. Without it a class that names a vector type cannot even be linked, so the JVM would report a
 * bare {@code NoClassDefFoundError: jdk/incubator/vector/Vector} at the first {@code new}, before any
 * normforge code runs. Hence this class names no vector type, the base classes' constructors call {@link
 * #require()} first, and generated classes keep their vector code in an inner {@code Kernels} class that
 * their constructors load only after that.
 */
public final class VectorApi {
  /** The module the kernels need. */
  public static final String MODULE = "jdk.incubator.vector";

  /** The java option that adds it. */
  public static final String FLAG = "--add-modules=" + MODULE;

  /** What a user reads when the module is missing: the flag, where it goes, and the one-setting alternative. */
  public static final String MISSING = "normforge needs the Vector API, but this JVM was started without the "
      + MODULE + " module. Add " + FLAG + " to the java command line (Maven: surefire's <argLine> and "
      + "exec's <arguments>; Gradle: jvmArgs), or set the environment variable JDK_JAVA_OPTIONS=" + FLAG
      + " for every java launch. (On the module path, 'requires dev.normforge.runtime' adds it by itself.)";

  private static final boolean PRESENT = present(VectorApi.class.getClassLoader());

  private VectorApi() {}

  /**
   * Throws {@link IllegalStateException} with {@link #MISSING} unless the Vector API is present: called
   * first by the constructor of every base class of generated code.
   */
  public static void require() {
    if (!PRESENT) {
      throw new IllegalStateException(MISSING);
    }
  }

  /** Whether {@code loader} can load the Vector API's classes (without initializing any). */
  static boolean present(ClassLoader loader) {
    try {
      Class.forName(MODULE + ".Vector", false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
