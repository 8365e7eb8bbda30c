package dev.normforge.processor.aliasing;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.normforge.processor.testing.Data.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.TanhSublayer;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.internal.exec.RowChunks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The aliasing contract of every block kind's {@code forward} and {@code backward}: {@code dx} may be
 * {@code dout} itself (bitwise the result of separate arrays, the norm's and the sublayer's gradients
 * included); {@code out} must not overlap {@code x}, {@code dx} must not overlap {@code dout} partly nor the
 * forward's {@code x} at all, and no argument may be a buffer of the workspace. A refused call throws
 * {@link IllegalArgumentException}, writes nothing, and leaves the workspace holding its forward.
 */
class BlockAliasingTest {
  static final int H = 24;
  static final int ROWS = 3000;
  static final int N = ROWS * H;
  static ModelSource source;
  static ClassLoader loader;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("aliasing", "Blocks", "hidden = " + H + ", encoderLayers = 6")
        .site("ResidualBlock", "pre", "type = NormType.LAYER, placement = Placement.PRE, alpha = 1.25")
        .site("ResidualBlock", "preRms", "type = NormType.RMS, placement = Placement.PRE")
        .site("ResidualBlock", "post", "type = NormType.LAYER, placement = Placement.POST, alpha = 0.75")
        .site("ResidualBlock", "deep", "type = NormType.DEEP")
        .site("ResidualBlock", "sandwich", "type = NormType.RMS, placement = Placement.SANDWICH, alpha = 1.5")
        .site("ResidualBlock", "batchPre", "type = NormType.BATCH, placement = Placement.PRE, alpha = 1.25")
        .site("ResidualBlock", "batchPost", "type = NormType.BATCH, placement = Placement.POST, alpha = 0.75");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
    assertTrue(RowChunks.count(ROWS, H) > 1, "the shape must span several chunks");
  }

  /** A block with non-trivial parameters, its sublayer, and a workspace holding a forward over x. */
  static final class Setup {
    final ResidualBlock block;
    final TanhSublayer f = new TanhSublayer(H, gaussian(H * H, 3, 0.2f));
    final BlockWorkspace ws;
    final float[] x = gaussian(3 * N, 1, 1f); // x at offset N: room for shifted overlaps either side
    final float[] dout = gaussian(N, 2, 1f);

    Setup(String site) {
      block = Processing.instantiate(loader, source.generated(site), ResidualBlock.class);
      long seed = 10;
      for (Parameter p : block.parameters()) {
        float[] v = gaussian(p.value().length, seed++, 0.2f);
        for (int i = 0; i < v.length; i++) {
          v[i] += p.name().startsWith("weight") ? 1 : 0;
        }
        p.set(v);
      }
      ws = block.newWorkspace();
      block.forward(x, N, new float[N], 0, ROWS, f, ws);
    }

    List<float[]> gradients() {
      List<float[]> all = new ArrayList<>();
      for (Parameter p : block.parameters()) {
        all.add(p.grad().clone());
      }
      all.add(f.dw.clone());
      return all;
    }
  }

  static void assertSame(List<float[]> expected, List<float[]> actual, String what) {
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), what + ": gradient " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pre", "preRms", "post", "deep", "sandwich", "batchPre", "batchPost"})
  void backwardInPlaceIsBitwiseTheSeparateResult(String site) {
    Setup separate = new Setup(site);
    float[] dx = new float[N];
    separate.block.backward(separate.dout, 0, dx, 0, separate.f, separate.ws);

    Setup inPlace = new Setup(site);
    float[] both = new float[N + 7];
    System.arraycopy(inPlace.dout, 0, both, 7, N);
    inPlace.block.backward(both, 7, both, 7, inPlace.f, inPlace.ws);
    assertArrayEquals(dx, Arrays.copyOfRange(both, 7, N + 7), site + ": dx = dout in place");
    assertSame(separate.gradients(), inPlace.gradients(), site);
  }

  @ParameterizedTest
  @ValueSource(strings = {"pre", "preRms", "post", "deep", "sandwich", "batchPre", "batchPost"})
  void overlappingBackwardArgumentsAreRefused(String site) {
    Setup s = new Setup(site);
    List<float[]> gradients = s.gradients();
    float[] shared = new float[3 * N];
    System.arraycopy(s.dout, 0, shared, N, N);
    for (int shift : new int[] {1, -1, H, -(N - 1), N - 1}) {
      refused(s, gradients, shared, "dx", () -> s.block.backward(shared, N, shared, N + shift, s.f, s.ws));
    }
    refused(s, gradients, s.x, "x (the forward's input)", () -> s.block.backward(s.dout, 0, s.x, N, s.f, s.ws));
    refused(s, gradients, s.x, "x (the forward's input)", () -> s.block.backward(s.dout, 0, s.x, 3, s.f, s.ws));
    float[] saved = s.ws.saved();
    refused(s, gradients, saved, "ws.saved()", () -> s.block.backward(s.dout, 0, saved, 0, s.f, s.ws));
    float[] gradient = s.ws.gradient();
    refused(s, gradients, gradient, "ws.gradient()", () -> s.block.backward(gradient, 0, new float[N], 0, s.f, s.ws));

    // the workspace still holds the forward: a proper backward gives the answer of a fresh setup
    Setup fresh = new Setup(site);
    float[] expected = new float[N];
    fresh.block.backward(fresh.dout, 0, expected, 0, fresh.f, fresh.ws);
    float[] dx = new float[N];
    s.block.backward(s.dout, 0, dx, 0, s.f, s.ws);
    assertArrayEquals(expected, dx, site + ": backward after the refusals");
    assertSame(fresh.gradients(), s.gradients(), site + " after the refusals");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pre", "preRms", "post", "deep", "sandwich", "batchPre", "batchPost"})
  void overlappingForwardArgumentsAreRefused(String site) {
    Setup s = new Setup(site);
    List<float[]> gradients = s.gradients();
    for (int shift : new int[] {0, 1, -H, N - 1}) {
      refused(s, gradients, s.x, "out", () -> s.block.forward(s.x, N, s.x, N + shift, ROWS, s.f, s.ws));
    }
    float[] saved = s.ws.saved();
    refused(s, gradients, saved, "ws.saved()", () -> s.block.forward(saved, 0, new float[N], 0, ROWS, s.f, s.ws));
    float[] gradient = s.ws.gradient();
    refused(s, gradients, gradient, "ws.gradient()", () -> s.block.forward(s.x, N, gradient, 0, ROWS, s.f, s.ws));

    Setup fresh = new Setup(site);
    float[] expected = new float[N];
    fresh.block.backward(fresh.dout, 0, expected, 0, fresh.f, fresh.ws);
    float[] dx = new float[N];
    s.block.backward(s.dout, 0, dx, 0, s.f, s.ws);
    assertArrayEquals(expected, dx, site + ": the workspace still holds the first forward");
  }

  /** {@code call} throws IllegalArgumentException naming the overlap; {@code written} and the gradients are unchanged. */
  static void refused(Setup s, List<float[]> gradients, float[] written, String name, Executable call) {
    float[] before = written.clone();
    float[] saved = s.ws.saved().clone();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains("overlap") && e.getMessage().contains(name), e.getMessage());
    assertArrayEquals(before, written, "an argument was written: " + e.getMessage());
    assertArrayEquals(saved, s.ws.saved(), "the workspace was written: " + e.getMessage());
    assertSame(gradients, s.gradients(), e.getMessage());
  }
}
