// After the consumer's build (maven-invoker-plugin, examples/pom.xml): what it printed, what it used, and
// that this pom is the README's snippet, verbatim.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0') : 'the consumer tests did not run'
(0..3).each { r ->
  def line = log.readLines().find { it.startsWith("row $r: mean ") }
  assert line != null : "the program printed no row $r"
  def m = (line =~ /mean ([-+0-9.]+), variance ([0-9.]+)/)
  assert m.find()
  assert Math.abs(m.group(1) as double) < 1e-5 && Math.abs((m.group(2) as double) - 1) < 1e-3 : line
}
assert new File(basedir, 'target/reports/apidocs/com/example/TinyModelFinalNorm.html').isFile() : 'no javadoc of the generated class'

// README: the first ```xml block of "## Use it in your project" is this pom.xml
def readmeText = new File(readme).text
def section = readmeText.substring(readmeText.indexOf('\n## Use it in your project'))
def start = section.indexOf('```xml\n') + '```xml\n'.length()
def snippet = section.substring(start, section.indexOf('```\n', start))
def pom = new File(examples, 'consumer/pom.xml').text
assert snippet == pom : 'README.md "Use it in your project" and examples/consumer/pom.xml differ: keep them equal'
return true
