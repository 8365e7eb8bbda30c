package dev.normforge.experiments.study;

import dev.normforge.experiments.task.MarkovLanguage;
import java.util.List;
import java.util.Optional;

/** Everything a study measured, for the report and the plots. */
public record StudyResults(StudyConfig config, MarkovLanguage task, List<RunResult> runs,
    List<NormCost.Timing> normCost) {

  /** The run of {@code variant} at {@code depth}, with or without warm-up, if the study ran it. */
  public Optional<RunResult> run(Variant variant, int depth, boolean warmup) {
    return runs.stream()
        .filter(r -> r.spec().variant() == variant && r.spec().depth() == depth && r.spec().warmsUp() == warmup)
        .findFirst();
  }
}
