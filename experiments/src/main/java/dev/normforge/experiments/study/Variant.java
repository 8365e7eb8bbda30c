package dev.normforge.experiments.study;

import dev.normforge.experiments.DeepNormBlocksDepth1000Block;
import dev.normforge.experiments.DeepNormBlocksDepth100Block;
import dev.normforge.experiments.DeepNormBlocksDepth18Block;
import dev.normforge.experiments.DeepNormBlocksDepth200Block;
import dev.normforge.experiments.DeepNormBlocksDepth24Block;
import dev.normforge.experiments.DeepNormBlocksDepth50Block;
import dev.normforge.experiments.DeepNormBlocksDepth6Block;
import dev.normforge.experiments.StudyBlocksFinalLn;
import dev.normforge.experiments.StudyBlocksFinalRms;
import dev.normforge.experiments.StudyBlocksPostLn;
import dev.normforge.experiments.StudyBlocksPostRms;
import dev.normforge.experiments.StudyBlocksPreLn;
import dev.normforge.experiments.StudyBlocksPreRms;
import dev.normforge.experiments.StudyBlocksSandwichLn;
import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.ResidualBlock;
import java.util.function.Supplier;

/** A stack's kind of block: placement and norm type, each a class the processor generated. */
public enum Variant {
  PRE_LN("Pre-LN", StudyBlocksPreLn::new, StudyBlocksFinalLn::new),
  POST_LN("Post-LN", StudyBlocksPostLn::new, null),
  DEEP_NORM("DeepNorm", null, null),
  SANDWICH_LN("Sandwich-LN", StudyBlocksSandwichLn::new, StudyBlocksFinalLn::new),
  PRE_RMS("Pre-RMS", StudyBlocksPreRms::new, StudyBlocksFinalRms::new),
  POST_RMS("Post-RMS", StudyBlocksPostRms::new, null);

  private final String label;
  private final Supplier<ResidualBlock> block;
  private final Supplier<NormLayer> finalNorm;

  Variant(String label, Supplier<ResidualBlock> block, Supplier<NormLayer> finalNorm) {
    this.label = label;
    this.block = block;
    this.finalNorm = finalNorm;
  }

  /** The name in plots and tables. */
  public String label() {
    return label;
  }

  /**
   * A new block for a stack of {@code depth} blocks (DeepNorm's alpha and beta depend on it: see
   * {@code DeepNormBlocks}).
   */
  public ResidualBlock newBlock(int depth) {
    return block != null ? block.get() : deepNorm(depth);
  }

  /** The norm after the last block (Pre-Norm and Sandwich stacks), or null (a Post-Norm stack ends in one). */
  public NormLayer newFinalNorm() {
    return finalNorm == null ? null : finalNorm.get();
  }

  private static ResidualBlock deepNorm(int depth) {
    return switch (depth) {
      case 6 -> new DeepNormBlocksDepth6Block();
      case 18 -> new DeepNormBlocksDepth18Block();
      case 24 -> new DeepNormBlocksDepth24Block();
      case 50 -> new DeepNormBlocksDepth50Block();
      case 100 -> new DeepNormBlocksDepth100Block();
      case 200 -> new DeepNormBlocksDepth200Block();
      case 1000 -> new DeepNormBlocksDepth1000Block();
      default -> throw new IllegalArgumentException(
          "no DeepNorm block is generated for depth " + depth + ": declare one in DeepNormBlocks");
    };
  }
}
