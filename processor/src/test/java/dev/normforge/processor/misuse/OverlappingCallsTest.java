package dev.normforge.processor.misuse;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.normforge.processor.testing.Data.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import dev.normforge.processor.testing.TanhSublayer;
import dev.normforge.runtime.AddNormBlock;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.BlockWorkspace;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.Parameter;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.Sublayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls the documentation forbids to overlap are refused with {@link IllegalStateException} naming the
 * layer, and the refused call writes nothing: backward calls on one row-norm layer or block (which add into
 * shared gradients), any two calls on one BatchNorm layer or block, and BatchNorm backward with statistics
 * no forward wrote.
 */
class OverlappingCallsTest {
  static final int H = 64;
  static ModelSource source;
  static ClassLoader loader;

  @BeforeAll
  static void compile() {
    source = ModelSource.model("misuse", "Misuse", "hidden = " + H + ", encoderLayers = 6")
        .site("NormLayer", "ln", "type = NormType.LAYER")
        .site("NormLayer", "rms", "type = NormType.RMS")
        .site("BatchNormLayer", "bn", "type = NormType.BATCH")
        .site("ResidualBlock", "pre", "type = NormType.LAYER, placement = Placement.PRE")
        .site("ResidualBlock", "post", "type = NormType.RMS, placement = Placement.POST")
        .site("ResidualBlock", "deep", "type = NormType.DEEP")
        .site("ResidualBlock", "sandwich", "type = NormType.LAYER, placement = Placement.SANDWICH")
        .site("ResidualBlock", "batchPre", "type = NormType.BATCH, placement = Placement.PRE")
        .site("ResidualBlock", "batchPost", "type = NormType.BATCH, placement = Placement.POST");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    loader = Processing.loader(compilation);
  }

  static <T> T make(String site, Class<T> type) {
    return Processing.instantiate(loader, source.generated(site), type);
  }

  static float[] nan(int n) {
    float[] a = new float[n];
    Arrays.fill(a, Float.NaN);
    return a;
  }

  static void assertNamesTheLayer(IllegalStateException e, String site, String call) {
    String simple = source.generated(site).substring(source.generated(site).lastIndexOf('.') + 1);
    assertTrue(e.getMessage().contains(simple) && e.getMessage().contains(call), e.getMessage());
  }

  /**
   * A sublayer whose backward, the first time, lets another thread run {@code during} and waits for it:
   * that call overlaps the block's backward in flight, deterministically.
   */
  static final class PausingSublayer implements Sublayer {
    final TanhSublayer f;
    Runnable during;

    PausingSublayer(TanhSublayer f) {
      this.f = f;
    }

    @Override
    public void forward(float[] in, int inOff, float[] out, int outOff, int rows) {
      f.forward(in, inOff, out, outOff, rows);
    }

    @Override
    public void backward(float[] in, int inOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int rows) {
      Runnable r = during;
      during = null;
      if (r != null) {
        CompletableFuture.runAsync(r).orTimeout(30, TimeUnit.SECONDS).join();
      }
      f.backward(in, inOff, dOut, dOutOff, dIn, dInOff, rows);
    }
  }

  static float[] gradients(ResidualBlock block) {
    List<Float> all = new ArrayList<>();
    for (Parameter p : block.parameters()) {
      for (float v : p.grad()) {
        all.add(v);
      }
    }
    float[] a = new float[all.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = all.get(i);
    }
    return a;
  }

  /**
   * Another thread's backward on the same block, with its own workspace, while the first one is inside its
   * sublayer: refused, naming the block, writing nothing; the first one's result is the sequential one.
   */
  @ParameterizedTest
  @ValueSource(strings = {"pre", "post", "deep", "sandwich", "batchPre", "batchPost"})
  void aSecondBackwardOnOneBlockIsRefused(String site) {
    int rows = 6;
    float[] x = gaussian(rows * H, 1, 1);
    float[] dout = gaussian(rows * H, 2, 1);
    float[] w = gaussian(H * H, 3, 1);
    for (int i = 0; i < w.length; i++) {
      w[i] *= 0.1f;
    }

    ResidualBlock reference = make(site, ResidualBlock.class);
    TanhSublayer fr = new TanhSublayer(H, w);
    BlockWorkspace wsr = reference.newWorkspace();
    reference.forward(x, 0, new float[rows * H], 0, rows, fr, wsr);
    float[] expectedDx = new float[rows * H];
    reference.backward(dout, 0, expectedDx, 0, fr, wsr);

    ResidualBlock block = make(site, ResidualBlock.class);
    PausingSublayer f = new PausingSublayer(new TanhSublayer(H, w));
    BlockWorkspace ws = block.newWorkspace();
    BlockWorkspace other = block.newWorkspace();
    block.forward(x, 0, new float[rows * H], 0, rows, f, ws);
    block.forward(x, 0, new float[rows * H], 0, rows, f, other);
    float[] otherDx = nan(rows * H);
    AtomicReference<Throwable> refused = new AtomicReference<>();
    f.during = () -> refused.set(catching(() -> block.backward(dout, 0, otherDx, 0, f, other)));
    float[] dx = new float[rows * H];
    block.backward(dout, 0, dx, 0, f, ws);

    IllegalStateException e = assertIsRefusal(refused.get());
    assertNamesTheLayer(e, site, "backward");
    assertArrayEquals(nan(rows * H), otherDx, "the refused call wrote dx");
    assertArrayEquals(expectedDx, dx, "the call in flight is unaffected");
    assertArrayEquals(gradients(reference), gradients(block), "gradients of exactly one backward");
  }

  /** addNormBackward while the same Post-Norm block's backward is in flight (they share the gradients). */
  @ParameterizedTest
  @ValueSource(strings = {"post", "deep"})
  void addNormBackwardDuringABackwardIsRefused(String site) {
    int rows = 4;
    AddNormBlock block = make(site, AddNormBlock.class);
    PausingSublayer f = new PausingSublayer(new TanhSublayer(H, gaussian(H * H, 4, 1)));
    BlockWorkspace ws = block.newWorkspace();
    float[] x = gaussian(rows * H, 5, 1);
    block.forward(x, 0, new float[rows * H], 0, rows, f, ws);
    float[] s = gaussian(rows * H, 6, 1);
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    block.addNormForward(x, 0, s, 0, s, 0, new float[rows * H], 0, rows, mean, rstd, 0);
    float[] ds = nan(rows * H);
    float[] dxOther = nan(rows * H);
    AtomicReference<Throwable> refused = new AtomicReference<>();
    f.during = () -> refused.set(catching(() ->
        block.addNormBackward(s, 0, gaussian(rows * H, 7, 1), 0, ds, 0, dxOther, 0, rows, mean, rstd, 0)));
    block.backward(gaussian(rows * H, 8, 1), 0, new float[rows * H], 0, f, ws);
    assertNamesTheLayer(assertIsRefusal(refused.get()), site, "addNormBackward");
    assertArrayEquals(nan(rows * H), ds);
    assertArrayEquals(nan(rows * H), dxOther);
  }

  /** A block's sublayer that calls the block's backward again (re-entry on one thread) is refused too. */
  @Test
  void reenteringBackwardFromTheSublayerIsRefused() {
    int rows = 3;
    ResidualBlock block = make("pre", ResidualBlock.class);
    PausingSublayer f = new PausingSublayer(new TanhSublayer(H, gaussian(H * H, 9, 1)));
    BlockWorkspace ws = block.newWorkspace();
    block.forward(gaussian(rows * H, 10, 1), 0, new float[rows * H], 0, rows, f, ws);
    Sublayer reentering = new Sublayer() {
      @Override
      public void forward(float[] in, int inOff, float[] out, int outOff, int r) {
        f.forward(in, inOff, out, outOff, r);
      }

      @Override
      public void backward(float[] in, int inOff, float[] dOut, int dOutOff, float[] dIn, int dInOff, int r) {
        block.backward(dOut, dOutOff, new float[r * H], 0, this, ws);
      }
    };
    block.forward(gaussian(rows * H, 10, 1), 0, new float[rows * H], 0, rows, reentering, ws);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> block.backward(gaussian(rows * H, 11, 1), 0, new float[rows * H], 0, reentering, ws));
    assertNamesTheLayer(e, "pre", "backward");
    // the refusal released the block: it works again
    block.forward(gaussian(rows * H, 12, 1), 0, new float[rows * H], 0, rows, f, ws);
    block.backward(gaussian(rows * H, 11, 1), 0, new float[rows * H], 0, f, ws);
  }

  /**
   * Two threads calling backward on one standalone layer: a large call on one, small calls on the other
   * until one lands inside it; that one is refused, naming the layer, and writes nothing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"ln", "rms"})
  void overlappingBackwardOnOneLayerIsRefused(String site) throws InterruptedException {
    NormLayer layer = make(site, NormLayer.class);
    int big = 16384;
    float[] x = gaussian(big * H, 13, 1);
    float[] y = new float[big * H];
    float[] mean = new float[big];
    float[] rstd = new float[big];
    layer.forwardTraining(x, 0, y, 0, big, mean, rstd, 0);
    float[] dy = gaussian(big * H, 14, 1);
    float[] dx = new float[big * H];
    IllegalStateException e = raceUntilRefused(
        () -> layer.backward(x, 0, dy, 0, dx, 0, big, mean, rstd, 0),
        small -> layer.backward(x, 0, dy, 0, small, 0, 1, mean, rstd, 0));
    assertNamesTheLayer(e, site, "backward");
  }

  /** Two threads on one BatchNorm layer: a training forward on one, eval forwards on the other. */
  @Test
  void twoThreadsOnOneBatchNormLayerAreRefused() throws InterruptedException {
    BatchNormLayer bn = make("bn", BatchNormLayer.class);
    int big = 16384;
    float[] x = gaussian(big * H, 15, 1);
    float[] y = new float[big * H];
    float[] mean = new float[H];
    float[] invstd = new float[H];
    IllegalStateException e = raceUntilRefused(
        () -> bn.forwardTraining(x, 0, y, 0, big, mean, invstd),
        small -> bn.forwardEval(x, 0, small, 0, 1));
    assertNamesTheLayer(e, "bn", "forwardEval");
  }

  /**
   * Runs {@code large} in a loop on one thread and {@code small} (into a NaN-filled row) in a loop on
   * another until a small call is refused (at most 20 s); checks it wrote nothing and returns the refusal.
   */
  static IllegalStateException raceUntilRefused(Runnable large, java.util.function.Consumer<float[]> small)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Thread big = new Thread(() -> {
      started.countDown();
      while (!stop.get()) {
        try {
          large.run();
        } catch (IllegalStateException refusedToo) {
          // the small call held the layer at that moment: fine, go on
        }
      }
    });
    big.start();
    started.await();
    long deadline = System.nanoTime() + 20_000_000_000L;
    try {
      while (System.nanoTime() < deadline) {
        float[] row = nan(H);
        try {
          small.accept(row);
        } catch (IllegalStateException e) {
          assertArrayEquals(nan(H), row, "the refused call wrote its output");
          return e;
        }
      }
    } finally {
      stop.set(true);
      big.join();
    }
    throw new AssertionError("no overlapping call was refused in 20 s");
  }

  @Test
  void batchNormBackwardWithoutItsForwardIsRefused() {
    BatchNormLayer bn = make("bn", BatchNormLayer.class);
    int rows = 5;
    float[] dx = nan(rows * H);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> bn.backward(
        gaussian(rows * H, 16, 1), 0, gaussian(rows * H, 17, 1), 0, dx, 0, rows, new float[H], new float[H]));
    assertTrue(e.getMessage().contains("mean[0] and invstd[0] are 0"), e.getMessage());
    assertArrayEquals(nan(rows * H), dx, "dx was written");
    assertArrayEquals(new float[H], bn.weight().grad(), "dweight was written");
    assertArrayEquals(new float[H], bn.bias().grad(), "dbias was written");

    // statistics a forward wrote, even for a feature holding infinity (invstd 0, mean infinite), are accepted
    float[] x = gaussian(rows * H, 18, 1);
    x[3] = Float.POSITIVE_INFINITY;
    float[] mean = new float[H];
    float[] invstd = new float[H];
    bn.forwardTraining(x, 0, new float[rows * H], 0, rows, mean, invstd);
    bn.backward(x, 0, gaussian(rows * H, 17, 1), 0, dx, 0, rows, mean, invstd);
  }

  static Throwable catching(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  static IllegalStateException assertIsRefusal(Throwable t) {
    if (t instanceof IllegalStateException e) {
      return e;
    }
    throw new AssertionError("the overlapping call was not refused with IllegalStateException: " + t, t);
  }
}
