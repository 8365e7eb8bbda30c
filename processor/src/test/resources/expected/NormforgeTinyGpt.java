package dev.example;

import dev.normforge.runtime.BatchNormLayer;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.NormModule;
import dev.normforge.runtime.ResidualBlock;
import dev.normforge.runtime.StateDict;
import dev.normforge.runtime.internal.ModelTensors;
import java.lang.Override;
import java.lang.String;
import javax.annotation.processing.Generated;

/**
 * The model class of {@link TinyGpt}: it implements the model type and {@code NormModule}; {@link #create()}
 * makes a new model.
 *
 * <p>The constructor creates every site instance (one per single site, one per layer for a per-layer
 * site) and holds it in a final field, so a model may be shared between threads once created; the
 * thread rules of the sites themselves apply. Sites:
 *
 * <ul>
 *   <li>{@code attentionNorm()}: {@link TinyGptAttentionNorm}
 *   <li>{@code finalNorm()}: {@link TinyGptFinalNorm}
 *   <li>{@code gemmaNorm()}: {@link TinyGptGemmaNorm}
 *   <li>{@code partialNorm()}: {@link TinyGptPartialNorm}
 *   <li>{@code batchNorm()}: {@link TinyGptBatchNorm}
 *   <li>{@code preBlock()}: {@link TinyGptPreBlock}
 *   <li>{@code postBlock()}: {@link TinyGptPostBlock}
 *   <li>{@code sandwichBlock()}: {@link TinyGptSandwichBlock}
 *   <li>{@code deepBlock()}: {@link TinyGptDeepBlock}
 *   <li>{@code batchBlock()}: {@link TinyGptBatchBlock}
 * </ul>
 */
@Generated(
    value = "dev.normforge.processor.NormProcessor",
    comments = "from dev.example.TinyGpt"
)
public final class NormforgeTinyGpt implements TinyGpt, NormModule {
  /**
   * What {@link #describe()} returns; also the resource {@code META-INF/normforge/dev.example.TinyGpt.md}.
   */
  private static final String DESCRIPTION = "# TinyGpt\n"
      + "\n"
      + "`dev.example.TinyGpt`, implemented by the generated `dev.example.NormforgeTinyGpt`: 0 encoder and 12 decoder layers; 10 sites, 10 site instances; 1,800 parameters (7,200 bytes as float32), 400 buffer values.\n"
      + "\n"
      + "| site | tensors | type | placement | hidden | eps | alpha | beta | parameters | forward bytes/row read / written | backward bytes/row read / written | class |\n"
      + "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
      + "| `attentionNorm()` | `attention_norm.weight` | RMS | NONE | 100 | 1.0E-6 | – | – | 100 | 400 / 404 | 804 / 400 | `TinyGptAttentionNorm` |\n"
      + "| `finalNorm()` | `final_norm.weight`, `final_norm.bias` | LAYER | NONE | 100 | 1.0E-5 | – | – | 200 | 400 / 408 | 808 / 400 | `TinyGptFinalNorm` |\n"
      + "| `gemmaNorm()` | `gemma_norm.weight` | RMS | NONE | 100 | 1.0E-6 | – | – | 100 | 400 / 404 | 804 / 400 | `TinyGptGemmaNorm` |\n"
      + "| `partialNorm()` | `partial_norm.weight` | RMS | NONE | 100 | 1.0E-5 | – | – | 100 | 400 / 404 | 804 / 400 | `TinyGptPartialNorm` |\n"
      + "| `batchNorm()` | `batch_norm.weight`, `batch_norm.bias`, `batch_norm.running_mean`, `batch_norm.running_var` | BATCH | NONE | 100 | 1.0E-5 | – | – | 200 | 800 / 400 | 1,600 / 400 | `TinyGptBatchNorm` |\n"
      + "| `preBlock()` | `pre_block.weight`, `pre_block.bias` | LAYER | PRE | 100 | 1.0E-5 | 1.0 (default) | 1.0 (default) | 200 | 1,200 / 808 | 1,208 / 800 | `TinyGptPreBlock` |\n"
      + "| `postBlock()` | `post_block.weight` | RMS | POST | 100 | 1.0E-5 | 1.0 (default) | 1.0 (default) | 100 | 800 / 804 | 804 / 800 | `TinyGptPostBlock` |\n"
      + "| `sandwichBlock()` | `sandwich_block.weight`, `sandwich_block.bias`, `sandwich_block.weight2`, `sandwich_block.bias2` | LAYER | SANDWICH | 100 | 1.0E-5 | 1.0 (default) | 1.0 (default) | 400 | 1,600 / 1,216 | 2,016 / 1,200 | `TinyGptSandwichBlock` |\n"
      + "| `deepBlock()` | `deep_block.weight`, `deep_block.bias` | DEEP | POST | 100 | 1.0E-5 | 2.213363839400643 (DeepNet (2M)^1/4, M = 12) | 0.3194715521231362 (DeepNet (8M)^-1/4, M = 12) | 200 | 800 / 808 | 808 / 800 | `TinyGptDeepBlock` |\n"
      + "| `batchBlock()` | `batch_block.weight`, `batch_block.bias`, `batch_block.running_mean`, `batch_block.running_var` | BATCH | POST | 100 | 1.0E-5 | 1.0 (default) | 1.0 (default) | 200 | 1,600 / 800 | 2,000 / 800 | `TinyGptBatchBlock` |\n"
      + "\n"
      + "- alpha, beta: a block's residual scale (`alpha·x`) and DeepNet's initialisation gain, each given in the annotation, 1 by default, or DeepNet's formula of the layer counts (N encoder, M decoder layers); – for a standalone norm.\n"
      + "- bytes/row: float32 bytes per row that the site's own kernels read / write in a training forward and in a backward: each row-sized array once per sweep over the rows, 4 per per-row statistic (mean, rstd); a block's sublayer and the per-feature parameters are not counted.\n";

  /**
   * The instance of {@code attentionNorm()}.
   */
  private final TinyGptAttentionNorm attentionNorm;

  /**
   * The instance of {@code finalNorm()}.
   */
  private final TinyGptFinalNorm finalNorm;

  /**
   * The instance of {@code gemmaNorm()}.
   */
  private final TinyGptGemmaNorm gemmaNorm;

  /**
   * The instance of {@code partialNorm()}.
   */
  private final TinyGptPartialNorm partialNorm;

  /**
   * The instance of {@code batchNorm()}.
   */
  private final TinyGptBatchNorm batchNorm;

  /**
   * The instance of {@code preBlock()}.
   */
  private final TinyGptPreBlock preBlock;

  /**
   * The instance of {@code postBlock()}.
   */
  private final TinyGptPostBlock postBlock;

  /**
   * The instance of {@code sandwichBlock()}.
   */
  private final TinyGptSandwichBlock sandwichBlock;

  /**
   * The instance of {@code deepBlock()}.
   */
  private final TinyGptDeepBlock deepBlock;

  /**
   * The instance of {@code batchBlock()}.
   */
  private final TinyGptBatchBlock batchBlock;

  /**
   * Every site instance's tensors, by name.
   */
  private final StateDict stateDict;

  private NormforgeTinyGpt() {
    ModelTensors tensors = new ModelTensors();
    this.attentionNorm = new TinyGptAttentionNorm();
    tensors.add("attention_norm", this.attentionNorm);
    this.finalNorm = new TinyGptFinalNorm();
    tensors.add("final_norm", this.finalNorm);
    this.gemmaNorm = new TinyGptGemmaNorm();
    tensors.add("gemma_norm", this.gemmaNorm);
    this.partialNorm = new TinyGptPartialNorm();
    tensors.add("partial_norm", this.partialNorm);
    this.batchNorm = new TinyGptBatchNorm();
    tensors.add("batch_norm", this.batchNorm);
    this.preBlock = new TinyGptPreBlock();
    tensors.add("pre_block", this.preBlock);
    this.postBlock = new TinyGptPostBlock();
    tensors.add("post_block", this.postBlock);
    this.sandwichBlock = new TinyGptSandwichBlock();
    tensors.add("sandwich_block", this.sandwichBlock);
    this.deepBlock = new TinyGptDeepBlock();
    tensors.add("deep_block", this.deepBlock);
    this.batchBlock = new TinyGptBatchBlock();
    tensors.add("batch_block", this.batchBlock);
    this.stateDict = tensors.build();
  }

  /**
   * A new model: every site instance created, weights at their initial values, zero gradients.
   */
  public static NormforgeTinyGpt create() {
    return new NormforgeTinyGpt();
  }

  /**
   * The one {@link TinyGptAttentionNorm} of {@code attentionNorm()}, created with the model.
   * Its tensors: {@code attention_norm.weight}.
   */
  @Override
  public NormLayer attentionNorm() {
    return this.attentionNorm;
  }

  /**
   * The one {@link TinyGptFinalNorm} of {@code finalNorm()}, created with the model.
   * Its tensors: {@code final_norm.weight}, {@code final_norm.bias}.
   */
  @Override
  public NormLayer finalNorm() {
    return this.finalNorm;
  }

  /**
   * The one {@link TinyGptGemmaNorm} of {@code gemmaNorm()}, created with the model.
   * Its tensors: {@code gemma_norm.weight}.
   */
  @Override
  public NormLayer gemmaNorm() {
    return this.gemmaNorm;
  }

  /**
   * The one {@link TinyGptPartialNorm} of {@code partialNorm()}, created with the model.
   * Its tensors: {@code partial_norm.weight}.
   */
  @Override
  public NormLayer partialNorm() {
    return this.partialNorm;
  }

  /**
   * The one {@link TinyGptBatchNorm} of {@code batchNorm()}, created with the model.
   * Its tensors: {@code batch_norm.weight}, {@code batch_norm.bias}, {@code batch_norm.running_mean}, {@code batch_norm.running_var}.
   */
  @Override
  public BatchNormLayer batchNorm() {
    return this.batchNorm;
  }

  /**
   * The one {@link TinyGptPreBlock} of {@code preBlock()}, created with the model.
   * Its tensors: {@code pre_block.weight}, {@code pre_block.bias}.
   */
  @Override
  public ResidualBlock preBlock() {
    return this.preBlock;
  }

  /**
   * The one {@link TinyGptPostBlock} of {@code postBlock()}, created with the model.
   * Its tensors: {@code post_block.weight}.
   */
  @Override
  public ResidualBlock postBlock() {
    return this.postBlock;
  }

  /**
   * The one {@link TinyGptSandwichBlock} of {@code sandwichBlock()}, created with the model.
   * Its tensors: {@code sandwich_block.weight}, {@code sandwich_block.bias}, {@code sandwich_block.weight2}, {@code sandwich_block.bias2}.
   */
  @Override
  public ResidualBlock sandwichBlock() {
    return this.sandwichBlock;
  }

  /**
   * The one {@link TinyGptDeepBlock} of {@code deepBlock()}, created with the model.
   * Its tensors: {@code deep_block.weight}, {@code deep_block.bias}.
   */
  @Override
  public ResidualBlock deepBlock() {
    return this.deepBlock;
  }

  /**
   * The one {@link TinyGptBatchBlock} of {@code batchBlock()}, created with the model.
   * Its tensors: {@code batch_block.weight}, {@code batch_block.bias}, {@code batch_block.running_mean}, {@code batch_block.running_var}.
   */
  @Override
  public ResidualBlock batchBlock() {
    return this.batchBlock;
  }

  @Override
  public StateDict stateDict() {
    return this.stateDict;
  }

  @Override
  public String describe() {
    return DESCRIPTION;
  }
}
