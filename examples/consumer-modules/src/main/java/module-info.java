module com.example.modular {
  requires dev.normforge.runtime;             // and, through it, jdk.incubator.vector
  requires static dev.normforge.annotations;  // @NormModel and @Norm are read by javac only
  requires static java.compiler;              // @Generated on the generated classes (javac only)
}
