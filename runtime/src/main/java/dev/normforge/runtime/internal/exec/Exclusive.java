package dev.normforge.runtime.internal.exec;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Detects calls that must not overlap on one object (backward passes adding into one layer's gradients,
 * any two calls of one BatchNorm layer) and refuses the second with an {@link IllegalStateException} naming
 * the object, instead of letting the two corrupt each other's buffers. One compare-and-set to enter, one
 * store to leave: no lock, no allocation, nothing to wait for.
 *
 * <pre>{@code
 * guard.enter(this, "backward");
 * try {
 *   ...
 * } finally {
 *   guard.exit();
 * }
 * }</pre>
 */
public final class Exclusive {
  private final AtomicBoolean busy = new AtomicBoolean();
  private final String rule;

  /** A guard whose message ends with {@code rule}: what the caller must do instead. */
  public Exclusive(String rule) {
    this.rule = rule;
  }

  /**
   * Enters the guarded section for {@code call} on {@code owner}.
   *
   * @throws IllegalStateException naming {@code owner}'s class and the call if another call is inside
   */
  public void enter(Object owner, String call) {
    if (!busy.compareAndSet(false, true)) {
      String name = owner.getClass().getName();
      throw new IllegalStateException(name.substring(name.lastIndexOf('.') + 1) + "." + call
          + " was called while another call on the same object is running (from another thread, or from "
          + "inside that call): " + rule);
    }
  }

  /** Leaves the guarded section; call in a {@code finally} after a successful {@link #enter}. */
  public void exit() {
    busy.set(false);
  }
}
