package com.example.modular;

import dev.normforge.runtime.NormLayer;
import dev.normforge.runtime.ResidualBlock;

/** Says which module each class came from, then normalizes one row. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    NormLayer norm = new BlocksNorm();
    ResidualBlock deep = new BlocksDeep();
    System.out.println("generated class " + norm.getClass().getName() + " in module " + norm.getClass().getModule().getName());
    System.out.println("runtime API in module " + NormLayer.class.getModule().getName());
    System.out.println("Vector API module resolved: " + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    System.out.printf("DeepNorm alpha %.4f for 6 decoder layers%n", deep.alpha());
    float[] x = new float[norm.hidden()];
    for (int j = 0; j < x.length; j++) {
      x[j] = j;
    }
    float[] y = new float[x.length];
    norm.forward(x, 0, y, 0, 1);
    System.out.printf("y[0] = %.5f, y[31] = %.5f%n", y[0], y[31]);
  }
}
