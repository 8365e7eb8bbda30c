package dev.normforge.processor.batch;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.ModelSource;
import dev.normforge.processor.testing.Processing;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the processor says about misconfigured BATCH sites: message id, file and line. */
class BatchNormDiagnosticsTest {
  static JavaFileObject model(String returnType, String attributes) {
    return ModelSource.model("bn", "Broken", "hidden = 64").site(returnType, "norm", attributes).file();
  }

  static void fails(JavaFileObject file, String id, String line) {
    Compilation compilation = Processing.compile(file);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("[normforge." + id + "]").inFile(file).onLineContaining(line);
  }

  @Test
  void momentumOutOfRange() {
    fails(model("BatchNormLayer", "type = NormType.BATCH, momentum = 1.5"), "momentum", "momentum = 1.5");
    fails(model("BatchNormLayer", "type = NormType.BATCH, momentum = 0"), "momentum", "momentum = 0");
  }

  @Test
  void momentumOnAnotherType() {
    fails(model("NormLayer", "type = NormType.LAYER, momentum = 0.2"), "batch.only", "momentum = 0.2");
  }

  @Test
  void batchBlockMustReturnAResidualBlock() {
    fails(model("BatchNormLayer", "type = NormType.BATCH, placement = Placement.POST"), "type",
        "BatchNormLayer norm()");
  }

  @Test
  void biasDifferentFromAffine() {
    fails(model("BatchNormLayer", "type = NormType.BATCH, affine = false, bias = true"), "batch.bias", "bias = true");
    fails(model("BatchNormLayer", "type = NormType.BATCH, bias = false"), "batch.bias", "bias = false");
  }

  @Test
  void biasFollowsAffine() throws Exception {
    ModelSource source = ModelSource.model("bn", "Fine", "hidden = 8")
        .site("BatchNormLayer", "plain", "type = NormType.BATCH, affine = false")
        .site("BatchNormLayer", "same", "type = NormType.BATCH, affine = true, bias = true");
    Compilation compilation = Processing.compile(source.file());
    assertThat(compilation).succeeded();
    var plain = Processing.instantiate(compilation, source.generated("plain"), dev.normforge.runtime.BatchNormLayer.class);
    var same = Processing.instantiate(compilation, source.generated("same"), dev.normforge.runtime.BatchNormLayer.class);
    org.junit.jupiter.api.Assertions.assertNull(plain.bias(), "affine = false: no bias");
    org.junit.jupiter.api.Assertions.assertNotNull(same.bias());
  }
}
