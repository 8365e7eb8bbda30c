package dev.normforge.processor.read;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Finds {@code @NormModel} on local and anonymous classes. Annotation processing never visits those, so
 * without this scan such a model would be silently ignored; javac's tree API (when the compiler is javac)
 * lets us say so instead. Both processors scan the rounds they are called for ({@code NormProcessor} and
 * {@code LocalModelCheck}: which of them javac calls first is not fixed); each source file is scanned once.
 */
public final class LocalModels {
  /** Files already scanned, of every compilation in this JVM: held weakly, by identity. */
  private static final Set<CompilationUnitTree> SCANNED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final Trees trees;

  private LocalModels(Trees trees) {
    this.trees = trees;
  }

  /** A scanner, or null under a compiler that is not javac. */
  public static LocalModels of(ProcessingEnvironment env) {
    try {
      return new LocalModels(Trees.instance(env));
    } catch (RuntimeException notJavac) {
      return null;
    }
  }

  /** Reports {@code normforge.model.local} for every local model in this round's sources. */
  public void report(RoundEnvironment round, Reporter reporter) {
    for (Element root : round.getRootElements()) {
      TreePath path = root instanceof TypeElement ? trees.getPath(root) : null;
      if (path == null || !SCANNED.add(path.getCompilationUnit())) {
        continue;
      }
      new TreePathScanner<Void, Integer>() {
        @Override
        public Void visitMethod(MethodTree tree, Integer depth) {
          return super.visitMethod(tree, depth + 1);
        }

        @Override
        public Void visitClass(ClassTree tree, Integer methodDepth) {
          AnnotationTree model = modelAnnotation(tree);
          if (methodDepth > 0 && model != null) {
            // local classes are not entered yet, so there is no Element: report at the annotation's tree
            reporter.count(Diagnostic.MODEL_LOCAL);
            trees.printMessage(Diagnostic.MODEL_LOCAL.kind(), Diagnostic.MODEL_LOCAL.format(), model,
                getCurrentPath().getCompilationUnit());
          }
          return super.visitClass(tree, methodDepth);
        }
      }.scan(path.getCompilationUnit(), 0);
    }
  }

  private static AnnotationTree modelAnnotation(ClassTree tree) {
    for (AnnotationTree a : tree.getModifiers().getAnnotations()) {
      String name = a.getAnnotationType().toString();
      if (name.equals("NormModel") || name.equals(ModelReader.NORM_MODEL)) {
        return a;
      }
    }
    return null;
  }
}
