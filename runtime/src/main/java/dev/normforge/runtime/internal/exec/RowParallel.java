package dev.normforge.runtime.internal.exec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small fixed pool of daemon threads that runs the chunks of one job at a time: {@link #run(int,
 * ChunkTask)} hands chunks {@code 0..chunks-1} to the pool and to the calling thread, and returns when all
 * are done. Each thread owns a contiguous share of the chunks (the caller the first, pool thread {@code i}
 * the {@code i+1}-th), the same share on every call with the same chunk count, so that a thread finds the
 * rows it read and wrote on the last call in its own core's caches rather than another core's; a thread
 * done with its share takes the chunks still unclaimed in other shares, from their ends, so a late or slow
 * thread delays no one. Which thread runs a chunk still varies; callers make results independent of that
 * by cutting work with {@link RowChunks} and summing through {@link ChunkPartials}.
 *
 * <p>Size: {@code threads} counts the caller, so {@code threads - 1} pool threads. Default from the system
 * property {@code normforge.threads}, else {@link Runtime#availableProcessors()}; change it with
 * {@link #setThreads(int)}. A property that is not an integer {@code >= 1} makes {@link #shared()} throw an
 * {@link IllegalArgumentException} naming it, on every call, until it is fixed (the pool is made lazily, so
 * a bad value never breaks the class itself).
 *
 * <p>Cost: a job allocates nothing (the task object is the caller's, claims are one packed atomic long per
 * thread's share).
 * Idle pool threads spin for a few microseconds, so back-to-back calls find them awake, then park.
 *
 * <p>Thread safety: every method may be called from any thread. One job runs at a time; a call made while
 * another job is running (another caller, or a task that itself calls {@code run}) does not wait for the
 * pool: it runs all its chunks on its own thread, in chunk order. So nested and concurrent use never
 * deadlocks, and results stay the same, only slower. An exception thrown by a chunk is rethrown to the
 * caller once every claimed chunk has finished (the first one, if several fail). {@link #setThreads} from
 * inside a chunk of this pool throws {@link IllegalStateException} (it would wait for the job it is part of).
 *
 * <p>Interrupts: pool threads are the pool's own; an interrupt of one is cleared and ignored (it must not
 * make the thread spin instead of parking). A caller interrupted while it waits for its chunks finishes the
 * job and returns with its interrupt status still set.
 */
public final class RowParallel {
  /** The system property that sets the shared pool's thread count. */
  public static final String THREADS_PROPERTY = "normforge.threads";

  /** Made on first use, so that a bad {@value #THREADS_PROPERTY} is an error of that use, not of the class. */
  private static volatile RowParallel shared;

  /** Spins of an idle thread before it parks: tens of microseconds. */
  private static final int SPINS = 1 << 14;

  /** Bits of a share's claim word: generation (32) | end of the share (16) | next chunk (16). */
  private static final int MAX_JOB_CHUNKS = (1 << 15) - 1;

  private final ReentrantLock jobLock = new ReentrantLock();
  /**
   * Per thread (the caller's first), the claim word of its share of the current job; see {@link #help}.
   * Replaced with the pool threads, under the job lock.
   */
  private volatile AtomicLongArray shares = new AtomicLongArray(1);
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile ChunkTask task;
  /** The current job's chunk count. */
  private volatile int jobChunks;
  private volatile Thread caller;
  private volatile Worker[] workers = new Worker[0];
  private int generation;

  /** A pool of {@code threads} threads including the caller's ({@code threads - 1} started here). */
  public RowParallel(int threads) {
    setThreads(threads);
  }

  /**
   * The process-wide executor the generated layers use, made on the first call.
   *
   * @throws IllegalArgumentException if the system property {@value #THREADS_PROPERTY} is set but is not an
   *     integer {@code >= 1} (on every call, until the property is fixed)
   */
  public static RowParallel shared() {
    RowParallel pool = shared;
    return pool != null ? pool : makeShared();
  }

  private static synchronized RowParallel makeShared() {
    if (shared == null) {
      shared = new RowParallel(threads(System.getProperty(THREADS_PROPERTY),
          Runtime.getRuntime().availableProcessors()));
    }
    return shared;
  }

  /**
   * The thread count a value of {@value #THREADS_PROPERTY} asks for: {@code available} when it is not set.
   *
   * @throws IllegalArgumentException naming the property and the value, unless it is an integer {@code >= 1}
   */
  static int threads(String property, int available) {
    if (property == null) {
      return Math.max(1, available);
    }
    try {
      int n = Integer.parseInt(property.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException notAnInteger) {
      // reported below, with the property's name
    }
    throw new IllegalArgumentException("-D" + THREADS_PROPERTY + "=" + property + " is not a thread count: set it "
        + "to an integer >= 1 (threads including the caller's), or remove it to use the " + available
        + " available processors");
  }

  /** Threads a job runs on, the caller's included. */
  public int threads() {
    return workers.length + 1;
  }

  /**
   * Sets the number of threads (the caller's included; {@code 1} = no pool threads). Waits for a running
   * job to finish, stops the old pool threads and starts new ones.
   */
  public void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (jobLock.isHeldByCurrentThread()
        || Thread.currentThread() instanceof Worker w && w.pool() == this) {
      // the job this chunk belongs to holds the lock and waits for this chunk: waiting for it would deadlock
      throw new IllegalStateException("setThreads(" + threads + ") called from inside a chunk of a job of this "
          + "pool: the job would wait for the chunk and the chunk for the job; change the thread count between calls");
    }
    jobLock.lock();
    try {
      if (threads == workers.length + 1) {
        return;
      }
      for (Worker w : workers) {
        w.stopped = true;
        LockSupport.unpark(w);
      }
      shares = new AtomicLongArray(threads);
      Worker[] next = new Worker[threads - 1];
      for (int i = 0; i < next.length; i++) {
        next[i] = new Worker("normforge-" + (i + 1), i + 1);
        next[i].start();
      }
      workers = next;
    } finally {
      jobLock.unlock();
    }
  }

  /**
   * Runs {@code task.run(c)} for every chunk {@code c < chunks} and returns when all have finished. With
   * one chunk, one thread, or the pool busy, runs them on the calling thread in order 0, 1, ...
   */
  public void run(int chunks, ChunkTask task) {
    if (chunks <= 0) {
      return;
    }
    // the lock is reentrant: a chunk running on the caller's thread that calls run() again must not
    // take it a second time and overwrite the job in flight
    if (chunks == 1 || chunks > MAX_JOB_CHUNKS || workers.length == 0
        || jobLock.isHeldByCurrentThread() || !jobLock.tryLock()) {
      for (int c = 0; c < chunks; c++) {
        task.run(c);
      }
      return;
    }
    try {
      runOnPool(chunks, task);
    } finally {
      jobLock.unlock();
    }
  }

  private void runOnPool(int chunks, ChunkTask task) {
    this.task = task;
    this.jobChunks = chunks;
    this.caller = Thread.currentThread();
    done.set(0);
    failure.set(null);
    generation++;
    // publishing a share's claim word releases task/caller/done to every thread that claims from it
    AtomicLongArray shares = this.shares;
    int threads = shares.length();
    for (int i = 0; i < threads; i++) {
      long end = RowChunks.start(chunks, threads, i + 1);
      shares.set(i, ((long) generation << 32) | (end << 16) | RowChunks.start(chunks, threads, i));
    }
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
    help(shares, 0);
    // an interrupted thread's park returns at once: set the status aside so the wait parks, then restore it
    boolean interrupted = false;
    for (int spin = 0; done.get() < chunks; spin++) {
      if (spin < SPINS) {
        Thread.onSpinWait();
      } else {
        interrupted |= Thread.interrupted();
        LockSupport.park(this);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    this.task = null;
    Throwable t = failure.getAndSet(null);
    if (t instanceof RuntimeException e) {
      throw e;
    } else if (t instanceof Error e) {
      throw e;
    } else if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Runs the chunks of share {@code own} in order, then those left in the other shares, each taken from its
   * end, until no chunk of the job of share {@code own}'s word is unclaimed (or another job has begun). A
   * claim is a CAS on a share's whole word, generation included, so a thread that read a word of a finished
   * job can never claim from the next one; the task read after a successful claim's read is therefore that
   * job's task (a job cannot finish while one of its chunks is unclaimed).
   */
  private void help(AtomicLongArray shares, int own) {
    int threads = shares.length();
    int job = (int) (shares.get(own % threads) >>> 32);
    for (int k = 0; k < threads; k++) {
      int share = (own + k) % threads;
      boolean fromEnd = k > 0;
      while (true) {
        long w = shares.get(share);
        if ((int) (w >>> 32) != job) {
          return; // a job published since this one began: start it with this thread's own share
        }
        if (!unclaimed(w)) {
          break;
        }
        int end = end(w);
        int next = next(w);
        ChunkTask t = task;
        Thread waiter = caller;
        int total = jobChunks;
        // the owner takes its next chunk; another thread takes the last, leaving the owner its order
        long claimed = fromEnd ? w - (1L << 16) : w + 1;
        if (!shares.compareAndSet(share, w, claimed)) {
          continue;
        }
        try {
          t.run(fromEnd ? end - 1 : next);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
        if (done.incrementAndGet() == total) {
          LockSupport.unpark(waiter);
        }
      }
    }
  }

  private boolean hasWork(AtomicLongArray shares) {
    for (int i = 0; i < shares.length(); i++) {
      if (unclaimed(shares.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** The next chunk of a share's claim word. */
  private static int next(long word) {
    return (int) word & 0xFFFF;
  }

  /** The end of a share's claim word (exclusive). */
  private static int end(long word) {
    return (int) (word >>> 16) & 0xFFFF;
  }

  /** Whether a share's claim word has a chunk left. */
  private static boolean unclaimed(long word) {
    return next(word) < end(word);
  }

  /** A pool thread: helps with whatever job is published, spins a little when idle, then parks. */
  private final class Worker extends Thread {
    volatile boolean stopped;

    /** This thread's share of every job: the caller's is 0. */
    final int index;

    Worker(String name, int index) {
      super(name);
      this.index = index;
      setDaemon(true);
    }

    RowParallel pool() {
      return RowParallel.this;
    }

    @Override
    public void run() {
      int idle = 0;
      while (!stopped) {
        AtomicLongArray shares = RowParallel.this.shares;
        if (hasWork(shares)) {
          help(shares, index);
          idle = 0;
        } else if (idle++ < SPINS) {
          Thread.onSpinWait();
        } else {
          // park returns at once while the interrupt status is set: clear it, or this thread spins forever
          Thread.interrupted();
          LockSupport.park(RowParallel.this);
        }
      }
    }
  }
}
