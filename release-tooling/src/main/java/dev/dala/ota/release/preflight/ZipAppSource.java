package dev.dala.ota.release.preflight;

import dev.dala.ota.release.zip.ArchiveReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;

/** The .app bundle inside an IPA ({@code Payload/NAME.app/...}). */
public final class ZipAppSource implements AppSource {

  private final ArchiveReader zip;
  private final String bundleName;
  private final Map<String, ZipArchiveEntry> byPath = new TreeMap<>();
  private final List<AppEntry> entries;

  private ZipAppSource(ArchiveReader zip, String bundleName) {
    this.zip = zip;
    this.bundleName = bundleName;
    this.entries = scan();
  }

  /** The bundle of an IPA, or null when the archive holds no single {@code Payload/*.app}. */
  public static ZipAppSource of(ArchiveReader zip) {
    TreeSet<String> apps = new TreeSet<>();
    for (ZipArchiveEntry e : zip.entries()) {
      String name = e.getName();
      if (name.startsWith("Payload/")) {
        int slash = name.indexOf('/', 8);
        String top = slash < 0 ? name.substring(8) : name.substring(8, slash);
        if (top.endsWith(".app") && (slash >= 0 || e.isDirectory())) {
          apps.add(top);
        }
      }
    }
    return apps.size() == 1 ? new ZipAppSource(zip, apps.first()) : null;
  }

  @Override
  public String bundleName() {
    return bundleName;
  }

  @Override
  public String location() {
    return "Payload/" + bundleName;
  }

  @Override
  public List<AppEntry> entries() {
    return entries;
  }

  @Override
  public byte[] read(AppEntry entry, long max) {
    return zip.read(byPath.get(entry.path()), max);
  }

  private List<AppEntry> scan() {
    String prefix = "Payload/" + bundleName + "/";
    List<AppEntry> out = new ArrayList<>();
    TreeSet<String> dirs = new TreeSet<>();
    for (ZipArchiveEntry e : zip.entries()) {
      if (!e.getName().startsWith(prefix) || e.getName().equals(prefix)) {
        continue;
      }
      String path = e.getName().substring(prefix.length());
      if (e.isDirectory()) {
        dirs.add(path.substring(0, path.length() - 1));
        continue;
      }
      addParents(path, dirs);
      byPath.put(path, e);
      if (e.isUnixSymlink()) {
        String target = new String(zip.read(e), StandardCharsets.UTF_8);
        out.add(new AppEntry(path, AppEntry.Type.SYMLINK, 0, false, target));
      } else {
        boolean exec = e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX && (e.getUnixMode() & 0111) != 0;
        out.add(new AppEntry(path, AppEntry.Type.FILE, e.getSize(), exec, null));
      }
    }
    dirs.forEach(d -> out.add(new AppEntry(d, AppEntry.Type.DIRECTORY, 0, false, null)));
    out.sort(Comparator.comparing(AppEntry::path));
    return List.copyOf(out);
  }

  private static void addParents(String path, TreeSet<String> dirs) {
    int slash = path.lastIndexOf('/');
    while (slash > 0) {
      dirs.add(path.substring(0, slash));
      slash = path.lastIndexOf('/', slash - 1);
    }
  }
}
