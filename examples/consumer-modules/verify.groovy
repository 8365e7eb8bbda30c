// After the modular consumer's build (maven-invoker-plugin, examples/pom.xml): the program ran on the module
// path with no --add-modules, and the README's module-info and exec lines are these files'.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0') : 'the modular tests did not run'
assert log.contains('generated class com.example.modular.BlocksNorm in module com.example.modular')
assert log.contains('runtime API in module dev.normforge.runtime')
assert log.contains('Vector API module resolved: true')

// README: the ```java block that starts with "module com.example.modular" is module-info.java, and the
// exec plugin's <arguments> shown there are this pom's
def readmeText = new File(readme).text
def block = { String lang, String first ->
  def start = readmeText.indexOf('```' + lang + '\n' + first)
  assert start >= 0 : "README.md has no ```$lang block starting with $first"
  start += ('```' + lang + '\n').length()
  readmeText.substring(start, readmeText.indexOf('```\n', start))
}
assert block('java', 'module com.example.modular') == new File(examples, 'consumer-modules/src/main/java/module-info.java').text :
    'README.md module-info block and examples/consumer-modules/src/main/java/module-info.java differ'
def arguments = block('xml', '<arguments>')
def pom = new File(examples, 'consumer-modules/pom.xml').text
assert pom.contains(arguments.readLines().collect { '          ' + it }.join('\n')) :
    'README.md modular <arguments> block is not in examples/consumer-modules/pom.xml'

// the artifacts of this build: module names, and the sources and javadoc jars beside each jar
def root = new File(examples).parentFile
['annotations', 'runtime', 'testing', 'processor'].each { m ->
  def jar = new File(root, "$m/target/normforge-$m-${version}.jar")
  assert jar.isFile() : "no $jar"
  ['sources', 'javadoc'].each { kind ->
    assert new File(root, "$m/target/normforge-$m-${version}-${kind}.jar").isFile() : "no $kind jar for $m"
  }
  def zip = new java.util.zip.ZipFile(jar)
  try {
    if (m == 'processor') {
      assert zip.getInputStream(zip.getEntry('META-INF/MANIFEST.MF')).text.contains('Automatic-Module-Name: dev.normforge.processor')
    } else {
      assert zip.getEntry('module-info.class') != null : "no module-info.class in $jar"
    }
  } finally {
    zip.close()
  }
}
return true
