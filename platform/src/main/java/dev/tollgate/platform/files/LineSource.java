package dev.tollgate.platform.files;

import dev.tollgate.schemas.InputChunks;
import java.util.List;

/** Reads one chunk of an uploaded file's lines. */
public interface LineSource extends AutoCloseable {

  List<String> chunk(InputChunks file, int index);

  @Override
  void close();
}
