package dev.normforge.processor.read;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
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
 * Finds {@code @NormModel} on local classes and {@code @Norm} on members of local and anonymous classes.
 * Annotation processing never visits those, so without this scan such a model or site would be silently
 * ignored; javac's tree API (when the compiler is javac) lets us say so instead. Both processors scan the
 * rounds they are called for ({@code NormProcessor} and {@code LocalModelCheck}: which of them javac calls
 * first is not fixed); each source file is scanned once.
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

  /**
   * Reports {@code normforge.model.local} for every local model and {@code normforge.site.local} for every
   * site in a local or anonymous class (outside a local model) in this round's sources.
   */
  public void report(RoundEnvironment round, Reporter reporter) {
    for (Element root : round.getRootElements()) {
      TreePath path = root instanceof TypeElement ? trees.getPath(root) : null;
      if (path == null || !SCANNED.add(path.getCompilationUnit())) {
        continue;
      }
      // depth: how many method, lambda, block or anonymous-class bodies enclose the tree; a class at depth > 0
      // is local or anonymous, and annotation processing never sees it or its members
      new TreePathScanner<Void, Integer>() {
        @Override
        public Void visitMethod(MethodTree tree, Integer depth) {
          return super.visitMethod(tree, depth + 1);
        }

        @Override
        public Void visitBlock(BlockTree tree, Integer depth) {
          return super.visitBlock(tree, depth + 1);
        }

        @Override
        public Void visitLambdaExpression(LambdaExpressionTree tree, Integer depth) {
          return super.visitLambdaExpression(tree, depth + 1);
        }

        @Override
        public Void visitNewClass(NewClassTree tree, Integer depth) {
          return super.visitNewClass(tree, depth + 1);
        }

        @Override
        public Void visitClass(ClassTree tree, Integer depth) {
          AnnotationTree model = annotation(tree.getModifiers(), "NormModel", ModelReader.NORM_MODEL);
          if (depth > 0 && model != null) {
            // local classes are not entered yet, so there is no Element: report at the annotation's tree
            print(Diagnostic.MODEL_LOCAL, model);
          } else if (depth > 0) {
            for (Tree member : tree.getMembers()) {
              ModifiersTree modifiers = member instanceof VariableTree v ? v.getModifiers()
                  : member instanceof MethodTree m ? m.getModifiers() : null;
              AnnotationTree site = modifiers == null ? null : annotation(modifiers, "Norm", ModelReader.NORM);
              if (site != null) {
                print(Diagnostic.SITE_LOCAL, site);
              }
            }
          }
          return super.visitClass(tree, depth);
        }

        private void print(Diagnostic diagnostic, AnnotationTree at) {
          reporter.count(diagnostic);
          trees.printMessage(diagnostic.kind(), diagnostic.format(), at, getCurrentPath().getCompilationUnit());
        }
      }.scan(path.getCompilationUnit(), 0);
    }
  }

  /** The annotation written as {@code simpleName} or {@code qualifiedName} among {@code modifiers}, or null. */
  private static AnnotationTree annotation(ModifiersTree modifiers, String simpleName, String qualifiedName) {
    for (AnnotationTree a : modifiers.getAnnotations()) {
      String name = a.getAnnotationType().toString();
      if (name.equals(simpleName) || name.equals(qualifiedName)) {
        return a;
      }
    }
    return null;
  }
}
