package dev.dala.ota.release.otp;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How OTP trees are laid out in a base, and which OTP applications an iOS base leaves out: the
 * ones Dala's device guide drops because no app on a phone loads them (GUI tools, test
 * frameworks, protocol stacks, build tools). The IPA and the base fingerprint use the same list,
 * so the fingerprint describes what ships.
 */
public final class OtpPruning {

  public static final List<String> UNUSED_APPS = List.of("megaco", "runtime_tools", "erl_interface", "os_mon",
      "wx", "et", "eunit", "observer", "debugger", "diameter", "edoc", "tools", "snmp", "dialyzer",
      "syntax_tools", "parsetools", "xmerl", "reltool", "inets", "ftp", "tftp", "common_test", "mnesia", "eldap",
      "odbc");

  /** Compile-time folders of an OTP application; nothing at run time reads them. */
  public static final Set<String> SOURCE_DIRS = Set.of("src", "include", "c_src", "doc", "examples", "man",
      "emacs", "java_src");

  private OtpPruning() {}

  /** The default list, with {@code keep} taken out and {@code drop} added. */
  public static Set<String> unusedApps(List<String> keep, List<String> drop) {
    Set<String> apps = new TreeSet<>(UNUSED_APPS);
    apps.removeAll(keep);
    apps.addAll(drop);
    return apps;
  }

  /** {@code _build/prod/lib/my_app/ebin} holds {@code my_app}, which goes to {@code lib/my_app/ebin}. */
  public static String appOfEbin(java.nio.file.Path ebin) {
    java.nio.file.Path abs = ebin.toAbsolutePath().normalize();
    java.nio.file.Path name = abs.getFileName();
    if (name != null && name.toString().equals("ebin") && abs.getParent() != null
        && abs.getParent().getFileName() != null) {
      return abs.getParent().getFileName().toString();
    }
    return name == null ? "app" : name.toString();
  }

  /** {@code crypto-5.1.2} and {@code crypto} are both the application {@code crypto}. */
  public static String appName(String libDirName) {
    int dash = libDirName.indexOf('-');
    while (dash >= 0) {
      if (dash + 1 < libDirName.length() && Character.isDigit(libDirName.charAt(dash + 1))) {
        return libDirName.substring(0, dash);
      }
      dash = libDirName.indexOf('-', dash + 1);
    }
    return libDirName;
  }
}
