// The build passed; the module-path run of Main (exec:exec in verify) must have printed its checks.
def log = new File(basedir, 'build.log').text
for (line in ['grad of sum(x^3) at [1, 2, 3]: ', 'consumer on the module path: all checks passed',
              'Tests run: 4, Failures: 0, Errors: 0, Skipped: 0']) {
    if (!log.contains(line)) throw new AssertionError("build.log lacks \"" + line + "\"")
}
