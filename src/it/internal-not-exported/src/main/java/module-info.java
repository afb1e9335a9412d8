module dev.dualgrad.intruder {
    requires dev.dualgrad;
}
