/** A user's module: it reads dualgrad's exported packages and nothing else of it. */
module dev.dualgrad.consumer {
    requires dev.dualgrad;
    requires static java.management; // the test reads the JVM's arguments
}
