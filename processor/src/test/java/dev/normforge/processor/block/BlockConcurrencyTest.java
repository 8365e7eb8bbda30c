package dev.normforge.processor.block;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Init;
import dev.normforge.testing.Linear;
import dev.normforge.runtime.ResidualBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One block object (shared weights) used by 8 threads at once, each with its own workspace, input and
 * output: every forward result equals the single-threaded one bitwise. (Backward adds into the shared
 * gradients, so backward calls on one block must not overlap; the javadoc says so.)
 */
class BlockConcurrencyTest {
  static final int H = 96;
  static final int ROWS = 48;

  @ParameterizedTest
  @ValueSource(strings = {"pre", "post", "deep"})
  void sharedBlockPrivateWorkspaces(String site) throws Exception {
    ModelSource source = ModelSource.model("conc", "Conc", "hidden = " + H + ", decoderLayers = 12")
        .site("ResidualBlock", "pre", "type = NormType.RMS, placement = Placement.PRE")
        .site("ResidualBlock", "post", "type = NormType.LAYER, placement = Placement.POST, alpha = 1.3")
        .site("ResidualBlock", "deep", "type = NormType.DEEP");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    ResidualBlock block = Processing.instantiate(compilation, source.generated(site), ResidualBlock.class);
    block.weight().set(Blocks.gaussian(H, new Random(1)));
    Linear f = new Linear(H, true);
    Init.xavierNormal(f.weight().value(), H, H, block.beta(), new Random(2));

    // the single-threaded answers, computed before any concurrent call
    float[][] inputs = new float[8][];
    float[][] expected = new float[8][];
    for (int t = 0; t < 8; t++) {
      inputs[t] = Blocks.gaussian(ROWS * H, new Random(100 + t));
      expected[t] = new float[ROWS * H];
      block.forward(inputs[t], 0, expected[t], 0, ROWS, f, block.newWorkspace());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          BlockWorkspace ws = block.newWorkspace();
          float[] out = new float[ROWS * H];
          for (int i = 0; i < 200; i++) {
            java.util.Arrays.fill(out, 0f);
            block.forward(inputs[seed], 0, out, 0, ROWS, f, ws);
            assertArrayEquals(expected[seed], out, site + ": thread " + seed + ", call " + i);
          }
          return null;
        }));
      }
      for (Future<?> r : results) {
        r.get(); // rethrows a thread's assertion
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
