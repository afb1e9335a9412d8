// The build failed (invoker.buildResult = failure); it must have failed because the engine package is not exported.
def log = new File(basedir, 'build.log').text
def expected = 'package dev.dualgrad.internal.engine is declared in module dev.dualgrad, which does not export it'
if (!log.contains(expected)) {
    throw new AssertionError("the compile did not fail with \"" + expected + "\"; see " + new File(basedir, 'build.log'))
}
if (!log.contains('Intruder.java')) throw new AssertionError('the error does not name Intruder.java')
println "internal-not-exported: javac refused the import: " + expected
