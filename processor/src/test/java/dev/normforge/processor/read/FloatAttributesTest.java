package dev.normforge.processor.read;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.normforge.processor.testing.Processing;
import java.util.Set;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every attribute generated code turns into a float ({@code eps}, {@code alpha}, {@code beta},
 * {@code weightOffset}) is checked as a float, not only as a double: a value that overflows float or a
 * nonzero value that rounds to 0 there is a compile error at the value, and the largest and smallest
 * magnitudes float holds still compile.
 */
class FloatAttributesTest {
  /** Attributes valid as doubles that do not survive the conversion to float. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "eps = 1e39 | NormLayer | eps = 1.0E39 does not fit a float | Infinity",
      "eps = 1e-50 | NormLayer | eps = 1.0E-50 does not fit a float | 0.0",
      "eps = Double.MAX_VALUE | NormLayer | eps = 1.7976931348623157E308 does not fit a float | Infinity",
      "eps = Double.MIN_VALUE | NormLayer | eps = 4.9E-324 does not fit a float | 0.0",
      "type = NormType.BATCH, eps = 1e-46 | BatchNormLayer | eps = 1.0E-46 does not fit a float | 0.0",
      "alpha = 1e39, placement = Placement.PRE | ResidualBlock | alpha = 1.0E39 does not fit a float | Infinity",
      "alpha = 1e-50, placement = Placement.POST | ResidualBlock | alpha = 1.0E-50 does not fit a float | 0.0",
      "type = NormType.BATCH, alpha = 3.5e38, placement = Placement.PRE | ResidualBlock | alpha = 3.5E38 does not fit a float | Infinity",
      "type = NormType.DEEP, alpha = 2, beta = 1e39 | ResidualBlock | beta = 1.0E39 does not fit a float | Infinity",
      "type = NormType.DEEP, alpha = 2, beta = 1e-60 | ResidualBlock | beta = 1.0E-60 does not fit a float | 0.0",
      "type = NormType.RMS, weightOffset = 1e39 | NormLayer | weightOffset = 1.0E39 does not fit a float | Infinity",
      "type = NormType.RMS, weightOffset = -1e39 | NormLayer | weightOffset = -1.0E39 does not fit a float | -Infinity",
      "type = NormType.RMS, weightOffset = 1e-50 | NormLayer | weightOffset = 1.0E-50 does not fit a float | 0.0",
  })
  void aValueThatDoesNotFitAFloatIsAnErrorAtTheValue(
      String norm, String returnType, String message, String asFloat) {
    JavaFileObject source = DiagnosticsTest.site(norm, returnType);
    Compilation compilation = Processing.compile(source);
    assertThat(compilation).failed();
    String attribute = message.substring(0, message.indexOf(' '));
    String written = norm.substring(norm.indexOf(attribute + " = "));
    written = written.contains(",") ? written.substring(0, written.indexOf(',')) : written;
    assertThat(compilation).hadErrorContaining("[normforge.float] " + message
        + ", the precision the generated kernels compute in (there it would be " + asFloat + ")")
        .inFile(source).onLineContaining(written);
    assertEquals(1, compilation.errors().size(), compilation.errors().toString());
    assertEquals(Set.of(), Processing.writtenSources(source), "something was generated for a broken model");
  }

  /** The extremes float holds (its largest value, its smallest subnormal) and 0 where 0 is legal. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "eps = 3.4028234663852886E38 | NormLayer",
      "eps = 1.401298464324817E-45 | NormLayer",
      "type = NormType.BATCH, eps = 1e-45 | BatchNormLayer",
      "alpha = 3.4028234663852886E38, placement = Placement.PRE | ResidualBlock",
      "alpha = 1.401298464324817E-45, placement = Placement.POST | ResidualBlock",
      "type = NormType.DEEP, alpha = 2, beta = 1.401298464324817E-45 | ResidualBlock",
      "type = NormType.RMS, weightOffset = -3.4028234663852886E38 | NormLayer",
      "type = NormType.RMS, weightOffset = 0 | NormLayer",
  })
  void theExtremesOfFloatCompile(String norm, String returnType) {
    Compilation compilation = Processing.compile(DiagnosticsTest.site(norm, returnType));
    assertThat(compilation).succeeded();
    assertThat(compilation).generatedSourceFile("m.MSite");
  }
}
