package dev.normforge.runtime;

/**
 * What a {@link ResidualBlock}'s backward needs from its forward: buffers that grow to the largest row
 * count seen and are reused after that, and a record of which block filled them for how many rows (so a
 * backward without a matching forward is caught). One workspace per block per concurrent caller.
 *
 * <p>Placeholder: the residual-block work defines its contents.
 */
public final class BlockWorkspace {
}
