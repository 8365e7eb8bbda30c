package dev.normforge.processor.emit;

import com.palantir.javapoet.TypeSpec;
import dev.normforge.processor.model.SiteSpec;

/** Picks the emitter for a site's kind: standalone row norm, BatchNorm, or residual block. */
public final class SiteEmitter {
  private SiteEmitter() {}

  /** Whether {@link RowNormEmitter#emitRuntimeSized} applies: a standalone row norm reading whole rows. */
  public static boolean hasRuntimeSizedForm(SiteSpec site) {
    return !site.isBlock() && site.rowNorm() != null
        && site.rowNorm().readsWholeRow();
  }

  public static TypeSpec.Builder emit(SiteSpec site) {
    if (site.isBlock()) {
      return site.type() == dev.normforge.annotations.NormType.BATCH
          ? BatchNormEmitter.emitBlock(site) : BlockEmitter.emit(site);
    }
    return switch (site.type()) {
      case LAYER, RMS -> RowNormEmitter.emit(site);
      case BATCH -> BatchNormEmitter.emit(site);
      default -> throw new UnsupportedOperationException(site.type() + " is not generated yet: " + site.origin());
    };
  }
}
