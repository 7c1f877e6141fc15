package dev.tollgate.platform.files;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a line over the size limit is kept in an uploaded file: not its text, but a marker with its
 * size and (if found near its start) its custom_id, so the batch can fail that line with the reason
 * and the rest of the file still runs. A marker starts with a NUL character, which no JSON line
 * can.
 */
public final class FileLines {

  private static final char MARK = '\0';
  private static final Pattern CUSTOM_ID =
      Pattern.compile("\"custom_id\"\\s*:\\s*\"([^\"\\\\]{1,256})\"");

  private FileLines() {}

  /** The marker of a line of {@code bytes} bytes that starts with {@code head}. */
  public static String oversized(String head, long bytes) {
    Matcher m = CUSTOM_ID.matcher(head);
    return MARK + Long.toString(bytes) + MARK + (m.find() ? m.group(1) : "");
  }

  public static boolean isOversized(String line) {
    return !line.isEmpty() && line.charAt(0) == MARK;
  }

  public static long oversizedBytes(String marker) {
    return Long.parseLong(marker.substring(1, marker.indexOf(MARK, 1)));
  }

  public static String oversizedCustomId(String marker) {
    String id = marker.substring(marker.indexOf(MARK, 1) + 1);
    return id.isEmpty() ? null : id;
  }
}
