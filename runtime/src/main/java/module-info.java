/**
 * What programs that use generated norm classes need at run time. {@code dev.normforge.runtime} is the
 * user API. {@code dev.normforge.runtime.internal} is not API but must be exported: the classes the
 * processor generates into the user's own packages extend its base classes and call its helpers.
 * {@code dev.normforge.runtime.internal.exec} (the row thread pool) is exported for the same reason, for
 * tests and for {@code RowParallel.shared().setThreads(n)}; neither is API.
 *
 * <p>The Vector API is required transitively: generated classes name its types, so a module that requires
 * this one reads it too, and the JVM resolves it with no {@code --add-modules}. Generated classes are
 * annotated {@code @javax.annotation.processing.Generated} (module {@code java.compiler}, source
 * retention), so a user module also needs {@code requires static java.compiler}.
 */
module dev.normforge.runtime {
  requires transitive jdk.incubator.vector;

  exports dev.normforge.runtime;
  exports dev.normforge.runtime.internal;
  exports dev.normforge.runtime.internal.exec;
}
