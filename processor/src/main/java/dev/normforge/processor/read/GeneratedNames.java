package dev.normforge.processor.read;

import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.Element;

/**
 * Every class name generated in one compilation, across all its models and rounds: a name generated for
 * one site is taken for every other. Two models that would write the same class (model {@code A} with a
 * site {@code BC()} and model {@code AB} with a site {@code c()} both make {@code ABC}) get an error at
 * both sites instead of the filer's "Attempt to recreate a file".
 */
public final class GeneratedNames {
  private record Claim(Element site, String origin) {}

  private final Map<String, Claim> claims = new HashMap<>();

  /**
   * Whether {@code qualifiedName} is still free; then it is taken for {@code site} ({@code origin} names it
   * in messages). Otherwise reports {@code normforge.name.taken} at {@code site} and at the site that took it.
   */
  public boolean claim(String qualifiedName, Element site, String origin, Reporter reporter) {
    Claim earlier = claims.putIfAbsent(qualifiedName, new Claim(site, origin));
    if (earlier == null) {
      return true;
    }
    reporter.report(Diagnostic.NAME_TAKEN, site, qualifiedName, earlier.origin());
    reporter.report(Diagnostic.NAME_TAKEN, earlier.site(), qualifiedName, origin);
    return false;
  }
}
