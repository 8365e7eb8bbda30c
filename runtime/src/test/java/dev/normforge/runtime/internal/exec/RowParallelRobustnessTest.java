package dev.normforge.runtime.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The pool under misuse: interrupted pool threads and callers wait without burning a core, setThreads from
 * inside a chunk is refused instead of deadlocking, and a bad {@code -Dnormforge.threads} is one clear
 * error naming the property.
 */
class RowParallelRobustnessTest {
  static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  static final long MS = 1_000_000;

  /** A new pool of 2 threads and its one pool thread. */
  record Pool(RowParallel pool, Thread worker) {}

  static Pool newPool() {
    RowParallel.shared(); // the shared pool's threads exist before we look for the new ones
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    RowParallel pool = new RowParallel(2);
    List<Thread> started = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().startsWith("normforge-")).toList();
    assertEquals(1, started.size(), "pool threads started: " + started);
    return new Pool(pool, started.get(0));
  }

  static void awaitState(Thread t, Thread.State state) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000 * MS;
    while (t.getState() != state && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(state, t.getState(), t.getName());
  }

  /** Spins until {@code flag} is set (at most 5 s): waits without using the interrupt status. */
  static void spinUntil(AtomicBoolean flag) {
    long deadline = System.nanoTime() + 5_000 * MS;
    while (!flag.get() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  static void assertRunsEveryChunk(RowParallel pool) {
    AtomicIntegerArray hits = new AtomicIntegerArray(16);
    pool.run(16, hits::incrementAndGet);
    for (int c = 0; c < 16; c++) {
      assertEquals(1, hits.get(c), "chunk " + c);
    }
  }

  @Test
  void anInterruptedPoolThreadParksInsteadOfSpinning() throws InterruptedException {
    Pool p = newPool();
    try {
      assertRunsEveryChunk(p.pool());
      awaitState(p.worker(), Thread.State.WAITING);
      for (int round = 0; round < 3; round++) {
        p.worker().interrupt();
        Thread.sleep(50);
        long cpu = CPU.getThreadCpuTime(p.worker().threadId());
        Thread.sleep(400);
        long used = CPU.getThreadCpuTime(p.worker().threadId()) - cpu;
        assertTrue(used < 40 * MS, "an idle interrupted pool thread used " + used / MS + " ms of CPU in 400 ms");
        assertEquals(Thread.State.WAITING, p.worker().getState(), "it parks");
        assertRunsEveryChunk(p.pool());
      }
    } finally {
      p.pool().setThreads(1);
    }
  }

  @Test
  void anInterruptedCallerWaitsWithoutSpinningAndKeepsItsStatus() {
    Pool p = newPool();
    try {
      Thread caller = Thread.currentThread();
      AtomicBoolean workerStarted = new AtomicBoolean();
      AtomicIntegerArray hits = new AtomicIntegerArray(2);
      caller.interrupt();
      long cpu = CPU.getCurrentThreadCpuTime();
      p.pool().run(2, c -> {
        hits.incrementAndGet(c);
        if (Thread.currentThread() == caller) {
          spinUntil(workerStarted); // so that the other chunk runs on the pool thread, and the caller waits
        } else {
          workerStarted.set(true);
          sleep(400);
        }
      });
      long used = CPU.getCurrentThreadCpuTime() - cpu;
      assertTrue(Thread.interrupted(), "the caller's interrupt status is kept");
      assertTrue(workerStarted.get(), "a pool thread ran a chunk");
      assertEquals(1, hits.get(0));
      assertEquals(1, hits.get(1));
      assertTrue(used < 150 * MS, "an interrupted caller used " + used / MS + " ms of CPU waiting 400 ms");
    } finally {
      Thread.interrupted();
      p.pool().setThreads(1);
    }
  }

  @Test
  void setThreadsFromAChunkOnTheCallersThreadIsRefused() {
    Pool p = newPool();
    try {
      IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        Thread caller = Thread.currentThread();
        return assertThrows(IllegalStateException.class, () -> p.pool().run(4, c -> {
          if (Thread.currentThread() == caller) {
            p.pool().setThreads(3);
          } else {
            sleep(100); // a pool thread takes one chunk at a time: the caller gets the others
          }
        }));
      });
      assertTrue(e.getMessage().contains("setThreads(3) called from inside a chunk"), e.getMessage());
      assertEquals(2, p.pool().threads(), "the pool is unchanged");
      assertRunsEveryChunk(p.pool());
    } finally {
      p.pool().setThreads(1);
    }
  }

  @Test
  void setThreadsFromAChunkOnAPoolThreadIsRefusedNotADeadlock() {
    Pool p = newPool();
    try {
      IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
        Thread caller = Thread.currentThread();
        AtomicBoolean workerStarted = new AtomicBoolean();
        return assertThrows(IllegalStateException.class, () -> p.pool().run(2, c -> {
          if (Thread.currentThread() == caller) {
            spinUntil(workerStarted);
          } else {
            workerStarted.set(true);
            p.pool().setThreads(3);
          }
        }));
      });
      assertTrue(e.getMessage().contains("from inside a chunk"), e.getMessage());
      assertEquals(2, p.pool().threads(), "the pool is unchanged");
      assertRunsEveryChunk(p.pool());
    } finally {
      p.pool().setThreads(1);
    }
  }

  @Test
  void theThreadsPropertyIsAnIntegerOfAtLeastOne() {
    assertEquals(6, RowParallel.threads(null, 6));
    assertEquals(1, RowParallel.threads(null, 0));
    assertEquals(3, RowParallel.threads("3", 6));
    assertEquals(12, RowParallel.threads(" 12 ", 6));
    for (String bad : new String[] {"two", "", "0", "-2", "1.5", "99999999999"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RowParallel.threads(bad, 6));
      assertTrue(e.getMessage().startsWith("-Dnormforge.threads=" + bad + " is not a thread count"), e.getMessage());
      assertTrue(e.getMessage().contains("6 available processors"), e.getMessage());
    }
  }

  /**
   * A JVM started with {@code -Dnormforge.threads=two}: every use of the shared pool throws the same clear
   * {@link IllegalArgumentException} naming the property (no ExceptionInInitializerError, then
   * NoClassDefFoundError), and a valid value works.
   */
  @Test
  void aBadThreadsPropertyIsOneClearErrorOnEveryUse() throws IOException, InterruptedException {
    List<String> lines = runProbe("two");
    assertEquals(3, lines.size(), String.join("\n", lines));
    for (String line : lines) {
      assertEquals("java.lang.IllegalArgumentException: -Dnormforge.threads=two is not a thread count: set it to "
          + "an integer >= 1 (threads including the caller's), or remove it to use the "
          + Runtime.getRuntime().availableProcessors() + " available processors", line);
    }
    assertEquals(List.of("threads 3", "threads 3", "threads 3"), runProbe("3"));
  }

  static List<String> runProbe(String threads) throws IOException, InterruptedException {
    String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(launcher, "-Dnormforge.threads=" + threads,
        "-cp", testClassPath(), ThreadsProbe.class.getName())
        .redirectErrorStream(true).start();
    String out;
    try (InputStream in = child.getInputStream()) {
      out = new String(in.readAllBytes());
    }
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    assertFalse(out.isBlank());
    return out.lines().toList();
  }

  /** Uses the shared pool three times and prints what each use gave. */
  public static final class ThreadsProbe {
    public static void main(String[] args) {
      for (int i = 0; i < 3; i++) {
        try {
          System.out.println("threads " + RowParallel.shared().threads());
        } catch (Throwable t) {
          System.out.println(t.getClass().getName() + ": " + t.getMessage());
        }
      }
    }
  }

  /** This test's classes and the runtime's: on the class path, or on the module path when surefire patches the module. */
  private static String testClassPath() {
    String modules = System.getProperty("jdk.module.path");
    String classes = System.getProperty("java.class.path");
    return modules == null || modules.isEmpty() ? classes : modules + java.io.File.pathSeparator + classes;
  }
}
