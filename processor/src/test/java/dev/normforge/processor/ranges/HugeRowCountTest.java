package dev.normforge.processor.ranges;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NormLayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The public API at the largest row count a Java array allows: hidden 1, {@code rows = Integer.MAX_VALUE - 2}
 * (an 8 GiB array), BatchNorm's backward and training forward and RMSNorm's forward, in place. Every count and index
 * derived from the row count (chunks, 128-row blocks, 8-row tiles) must stay in range.
 *
 * <p>Opt-in, since it needs about 9 GiB of memory: {@code -Dnormforge.hugeArrays=true}. It runs in a child
 * JVM with {@code -Xmx10g}.
 */
@EnabledIfSystemProperty(named = "normforge.hugeArrays", matches = "true")
class HugeRowCountTest {
  static final int ROWS = Integer.MAX_VALUE - 2;

  @Test
  void batchNormAndRmsNormOverIntMaxRows() throws IOException, InterruptedException {
    ModelSource source = ModelSource.model("huge", "Huge", "hidden = 1")
        .site("BatchNormLayer", "bn", "type = NormType.BATCH")
        .site("NormLayer", "rms", "type = NormType.RMS");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    Path classes = Files.createTempDirectory("normforge-huge");
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = file.toUri().getPath();
        Path target = classes.resolve(path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length()));
        Files.createDirectories(target.getParent());
        try (InputStream in = file.openInputStream()) {
          Files.write(target, in.readAllBytes());
        }
      }
    }
    String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(List.of(launcher, "--add-modules=jdk.incubator.vector", "-Xmx10g",
        "-cp", System.getProperty("java.class.path") + java.io.File.pathSeparator + classes,
        Child.class.getName(), source.generated("bn"), source.generated("rms")))
        .redirectErrorStream(true).start();
    String output;
    try (InputStream in = child.getInputStream()) {
      output = new String(in.readAllBytes());
    }
    child.waitFor(10, TimeUnit.MINUTES);
    assertEquals(0, child.exitValue(), output);
  }

  /**
   * Runs in the child JVM, in place on one array: BatchNorm's backward with {@code x = dy} (a fixed pattern),
   * then, on the pattern again, its training forward, then RMSNorm's forward on that output. Checks the
   * gradients, the statistics and the rows at both ends against double sums over the whole array.
   */
  public static final class Child {
    public static void main(String[] args) throws ReflectiveOperationException {
      float[] x = new float[ROWS];
      double s1 = fill(x);
      double s2 = 0;
      for (int i = 0; i < ROWS; i++) {
        s2 += (double) x[i] * x[i];
      }
      double mean = s1 / ROWS;
      double var = s2 / ROWS - mean * mean;
      double invstd = 1 / Math.sqrt(var + 1e-5);
      BatchNormLayer bn = (BatchNormLayer) Class.forName(args[0]).getConstructor().newInstance();
      float[] m = {(float) mean};
      float[] is = {(float) invstd};

      // backward, x = dy: dbias = Σx, dweight = invstd·Σx(x - mean), dx = invstd·(x - mean)·(1 - invstd·dweight/n)
      double dweight = is[0] * (s2 - s1 * mean);
      int[] ends = ends();
      double[] dx = new double[ends.length];
      double[] scale = new double[ends.length];
      for (int k = 0; k < ends.length; k++) {
        scale[k] = is[0] * (value(ends[k]) - mean);
        dx[k] = scale[k] * (1 - is[0] * dweight / ROWS);
      }
      bn.backward(x, 0, x, 0, x, 0, ROWS, m, is);
      check("dbias", s1, bn.bias().grad()[0], 1e-4);
      check("dweight", dweight, bn.weight().grad()[0], 1e-4);
      for (int k = 0; k < ends.length; k++) {
        // dx is a small difference of terms of the size of invstd·(x - mean): judged against those terms
        check("bn dx[" + ends[k] + "]", dx[k], x[ends[k]], 1e-4 * Math.max(1, Math.abs(scale[k])));
      }

      fill(x);
      bn.forwardTraining(x, 0, x, 0, ROWS, m, is);
      check("batch mean", mean, m[0], 1e-6);
      check("batch invstd", invstd, is[0], 1e-5);
      for (int i : ends) {
        check("bn y[" + i + "]", (value(i) - mean) * invstd, x[i], 1e-5);
      }

      NormLayer rms = (NormLayer) Class.forName(args[1]).getConstructor().newInstance();
      double[] before = new double[ends.length];
      for (int k = 0; k < ends.length; k++) {
        before[k] = x[ends[k]];
      }
      rms.forward(x, 0, x, 0, ROWS);
      for (int k = 0; k < ends.length; k++) {
        check("rms y[" + ends[k] + "]", before[k] / Math.sqrt(before[k] * before[k] + 1e-5), x[ends[k]], 1e-5);
      }
      System.out.println("ok: " + ROWS + " rows");
    }

    /** Writes the pattern into {@code x}; returns its sum. */
    static double fill(float[] x) {
      double sum = 0;
      for (int i = 0; i < ROWS; i++) {
        x[i] = value(i);
        sum += x[i];
      }
      return sum;
    }

    static float value(int i) {
      return i % 5 - 2 + (i % 3) * 0.25f;
    }

    static int[] ends() {
      int[] at = new int[600];
      for (int k = 0; k < 300; k++) {
        at[k] = k;
        at[300 + k] = ROWS - 1 - k;
      }
      return at;
    }

    /** Fails unless {@code |expected - actual| <= tolerance·max(1, |expected|)}. */
    static void check(String what, double expected, double actual, double tolerance) {
      if (!(Math.abs(expected - actual) <= tolerance * Math.max(1, Math.abs(expected)))) {
        System.out.println(what + ": expected " + expected + ", got " + actual);
        System.exit(1);
      }
    }
  }
}
