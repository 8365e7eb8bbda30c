package dev.normforge.processor.emit;

import com.palantir.javapoet.ClassName;

/** The runtime types generated code refers to, by name: the processor never loads them. */
final class RuntimeTypes {
  private RuntimeTypes() {}

  static final String PACKAGE = "dev.normforge.runtime";
  static final ClassName ROW_NORM_LAYER = ClassName.get(PACKAGE, "RowNormLayer");
  static final ClassName PRE_NORM_BLOCK = ClassName.get(PACKAGE, "PreNormBlock");
  static final ClassName POST_NORM_BLOCK = ClassName.get(PACKAGE, "PostNormBlock");
  static final ClassName BATCH_NORM_BASE = ClassName.get(PACKAGE, "BatchNormBase");
  static final ClassName BATCH_NORM_BLOCK = ClassName.get(PACKAGE, "BatchNormBlock");
}
