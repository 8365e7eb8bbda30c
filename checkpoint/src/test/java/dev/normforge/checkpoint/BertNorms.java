package dev.normforge.checkpoint;

import dev.normforge.annotations.Norm;
import dev.normforge.annotations.NormModel;
import dev.normforge.annotations.NormType;
import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.NormModule;

/** The norms of the BERT-style fixture (gen.py): hidden 48, 2 encoder layers, two LayerNorms each, and a BatchNorm1d. */
@NormModel(hidden = 48, encoderLayers = 2)
public interface BertNorms extends NormModule {
  @Norm(type = NormType.LAYER, eps = 1e-12, name = "encoder.layer.{layer}.attention.output.LayerNorm")
  NormLayer attentionNorm(int layer);

  @Norm(type = NormType.LAYER, eps = 1e-12, name = "encoder.layer.{layer}.output.LayerNorm")
  NormLayer outputNorm(int layer);

  @Norm(type = NormType.BATCH)
  BatchNormLayer bn();
}
