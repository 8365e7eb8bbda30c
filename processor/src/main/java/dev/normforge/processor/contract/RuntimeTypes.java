package dev.normforge.processor.contract;

import com.palantir.javapoet.ClassName;

/**
 * Every runtime type the processor names, in one place: the user API types a site must declare, and the
 * types generated code extends or calls. The processor never loads them; it writes their names.
 */
public final class RuntimeTypes {
  private RuntimeTypes() {}

  /** The user API. */
  public static final String API = "dev.normforge.runtime";
  /** What generated code extends or calls: public for it, not API. */
  public static final String SUPPORT = "dev.normforge.runtime.internal";

  public static final ClassName NORM_LAYER = ClassName.get(API, "NormLayer");
  public static final ClassName BATCH_NORM_LAYER = ClassName.get(API, "BatchNormLayer");
  public static final ClassName RESIDUAL_BLOCK = ClassName.get(API, "ResidualBlock");
  /** A Post-Norm row-norm block, with its fused add+norm kernels. */
  public static final ClassName ADD_NORM_BLOCK = ClassName.get(API, "AddNormBlock");
  /** A block around BatchNorm, with its {@code norm()}. */
  public static final ClassName BATCH_NORM_RESIDUAL_BLOCK = ClassName.get(API, "BatchNormResidualBlock");

  /** What every generated model class implements besides the model type. */
  public static final ClassName NORM_MODULE = ClassName.get(API, "NormModule");
  /** A model's named tensors. */
  public static final ClassName STATE_DICT = ClassName.get(API, "StateDict");
  /** Collects a generated model's named tensors. */
  public static final ClassName MODEL_TENSORS = ClassName.get(SUPPORT, "ModelTensors");
  /** The bounds check of per-layer site methods. */
  public static final ClassName LAYER_INDEX = ClassName.get(SUPPORT, "LayerIndex");

  public static final ClassName ROW_NORM_LAYER = ClassName.get(SUPPORT, "RowNormLayer");
  public static final ClassName PRE_NORM_BLOCK = blockBase("PRE");
  public static final ClassName POST_NORM_BLOCK = blockBase("POST");
  public static final ClassName BATCH_NORM_BASE = ClassName.get(SUPPORT, "BatchNormBase");
  public static final ClassName BATCH_NORM_BLOCK = ClassName.get(SUPPORT, "BatchNormBlock");
  /**
   * The base of the row-norm blocks of a placement, by the runtime's naming rule: {@code PRE} ->
   * {@code PreNormBlock}, {@code SANDWICH} -> {@code SandwichNormBlock}. A new placement is a new base.
   */
  public static ClassName blockBase(String placement) {
    return ClassName.get(SUPPORT, placement.charAt(0) + placement.substring(1).toLowerCase(java.util.Locale.ROOT)
        + "NormBlock");
  }

  /** The double-precision slow path of a row's statistics. */
  public static final ClassName ROW_STATS = ClassName.get(SUPPORT, "RowStats");
  /** The shuffles that sum a vector's lanes in a fixed order (reduceLanes(ADD) does not promise one). */
  public static final ClassName LANES = ClassName.get(SUPPORT, "Lanes");
}
