package dev.normforge.processor.testing;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.LocalModelCheck;
import dev.normforge.processor.NormProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Runs the real processor through google compile-testing and loads what it generated, so tests exercise
 * exactly the path a user's build takes: annotation values -> processor -> javac -> classes.
 */
public final class Processing {
  private Processing() {}

  /** The processors of the processor jar, in the order javac finds them there (its service file's). */
  public static java.util.List<javax.annotation.processing.Processor> processors() {
    return java.util.List.of(new LocalModelCheck(), new NormProcessor());
  }

  /** Compiles {@code sources} with the processors and the Vector API module. */
  public static Compilation compile(JavaFileObject... sources) {
    return javac()
        .withProcessors(processors())
        .withOptions("--add-modules", "jdk.incubator.vector")
        .compile(sources);
  }

  /** {@link #compile}, with further javac options (e.g. {@code -Anormforge.runtimeSized=true}). */
  public static Compilation compileWith(java.util.List<String> options, JavaFileObject... sources) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--add-modules", "jdk.incubator.vector"));
    all.addAll(options);
    return javac().withProcessors(processors()).withOptions(all).compile(sources);
  }

  /** A class loader over the classes of a successful compilation; runtime classes come from the test's. */
  public static ClassLoader loader(Compilation compilation) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = file.toUri().getPath();
        String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(),
            path.length() - ".class".length()).replace('/', '.');
        try (InputStream in = file.openInputStream()) {
          classes.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return new ClassLoader(Processing.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
  }

  /** A new instance of the generated class {@code qualifiedName}, through its public no-arg constructor. */
  public static <T> T instantiate(Compilation compilation, String qualifiedName, Class<T> as) {
    return instantiate(loader(compilation), qualifiedName, as);
  }

  /** A new instance of {@code qualifiedName} from {@code loader}. */
  public static <T> T instantiate(ClassLoader loader, String qualifiedName, Class<T> as) {
    try {
      return as.cast(loader.loadClass(qualifiedName).getConstructor().newInstance());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot instantiate " + qualifiedName + ": " + e, e);
    }
  }

  /**
   * The names of the source files the processor wrote while compiling {@code sources}, whether or not the
   * compilation succeeded (compile-testing shows generated files only for a success).
   */
  public static java.util.Set<String> writtenSources(JavaFileObject... sources) {
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    java.util.Set<String> written = new java.util.TreeSet<>();
    javax.tools.StandardJavaFileManager standard = javac.getStandardFileManager(null, null, null);
    java.nio.file.Path out;
    try {
      out = java.nio.file.Files.createTempDirectory("normforge-out");
      standard.setLocationFromPaths(javax.tools.StandardLocation.CLASS_OUTPUT, java.util.List.of(out));
      standard.setLocationFromPaths(javax.tools.StandardLocation.SOURCE_OUTPUT, java.util.List.of(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    javax.tools.JavaFileManager recording = new javax.tools.ForwardingJavaFileManager<>(standard) {
      @Override
      public JavaFileObject getJavaFileForOutput(javax.tools.JavaFileManager.Location location, String className,
          JavaFileObject.Kind kind, javax.tools.FileObject sibling) throws IOException {
        if (kind == JavaFileObject.Kind.SOURCE) {
          written.add(className);
        }
        return super.getJavaFileForOutput(location, className, kind, sibling);
      }
    };
    javax.tools.JavaCompiler.CompilationTask task = javac.getTask(null, recording, d -> { },
        java.util.List.of("--add-modules", "jdk.incubator.vector", "-proc:full"), null, java.util.List.of(sources));
    task.setProcessors(processors());
    task.call();
    return written;
  }

  /** The text of the generated source {@code qualifiedName}. */
  public static String generatedSource(Compilation compilation, String qualifiedName) {
    JavaFileObject file = compilation.generatedSourceFile(qualifiedName)
        .orElseThrow(() -> new AssertionError("no generated source " + qualifiedName));
    try {
      return file.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
