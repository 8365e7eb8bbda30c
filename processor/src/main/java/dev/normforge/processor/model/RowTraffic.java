package dev.normforge.processor.model;

import dev.normforge.annotations.NormType;

/**
 * The bytes per row a site's own kernels read and write in a training forward and in a backward, for
 * {@code describe()}: each row-sized float array a sweep over the rows reads or writes counts 4·hidden
 * bytes, and each per-row statistic (mean, rstd) 4. A row norm's passes within one row count once (the
 * row stays in the first-level cache between them); every sweep over all rows counts again (BatchNorm's
 * two column passes; a block's separate norm, residual and zero-fill sweeps), as each re-reads memory
 * once the batch exceeds the cache. The sublayer {@code F}'s own traffic and the per-feature parameters
 * and gradient partials (cache-resident across rows) are not counted. Derived from the runtime's
 * orchestration of each placement ({@code RowNormLayer}, {@code PreNormBlock}, {@code PostNormBlock},
 * {@code SandwichNormBlock}, {@code BatchNormBase}, {@code BatchNormBlock}).
 */
public record RowTraffic(long forwardRead, long forwardWritten, long backwardRead, long backwardWritten) {
  /** The traffic of one instance of {@code site}. */
  public static RowTraffic of(SiteSpec site) {
    long row = 4L * site.hidden();
    if (site.type() == NormType.BATCH) {
      return switch (site.placement()) {
        // statistics sweep reads x; normalize sweep reads x, writes y. Backward: sums read x, dy; then x, dy -> dx
        case NONE -> new RowTraffic(2 * row, row, 4 * row, row);
        // BN(x) -> h, then out = alpha·x + F(h); backward: dh = 0, BN backward, dx += alpha·dout
        case PRE -> new RowTraffic(4 * row, 2 * row, 6 * row, 3 * row);
        // s = alpha·x + F(x), then BN(s); backward: BN backward -> ds, dx = alpha·ds
        default -> new RowTraffic(4 * row, 2 * row, 5 * row, 2 * row);
      };
    }
    long stats = site.centered() ? 8 : 4;
    return switch (site.placement()) {
      // x -> y, mean/rstd; backward: x, dy, mean/rstd -> dx
      case NONE -> new RowTraffic(row, row + stats, 2 * row + stats, row);
      // norm: x -> h; residual: x, F(h) -> out; backward: dh = 0; x, dh, dout -> dx
      case PRE -> new RowTraffic(3 * row, 2 * row + stats, 3 * row + stats, 2 * row);
      // fused: x, F(x) -> s, out; backward: s, dout -> ds, dx
      case POST -> new RowTraffic(2 * row, 2 * row + stats, 2 * row + stats, 2 * row);
      // PRE with norm2 over F's output: + F(h) -> out with its statistics; backward + norm2's F(h), dout -> dF
      default -> new RowTraffic(4 * row, 3 * row + 2 * stats, 5 * row + 2 * stats, 3 * row);
    };
  }
}
