package dev.normforge.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file, read and validated against the file's size; the data is not read. The
 * format: an unsigned 64-bit little-endian length {@code N}, {@code N} bytes of UTF-8 JSON (an object: each
 * tensor's name to its {@code dtype}, {@code shape} and {@code data_offsets}, and an optional
 * {@code __metadata__} object of strings), then the data section, every tensor's bytes little-endian,
 * row-major.
 *
 * <p>Validated as the reference implementation does: the JSON is strict and its names unique; every dtype
 * is one of the format's; every shape and offset a non-negative integer; each tensor's byte range holds
 * exactly {@code elements × dtype size} bytes; sorted by offset, the ranges tile the data section from 0
 * to its end with no overlap and no hole. A file that fails any check is a {@link CheckpointException}.
 */
public final class SafetensorsHeader {
  /** The reference implementation's limit on the header's size. */
  static final long MAX_HEADER = 100_000_000;

  private final Map<String, String> metadata;
  private final Map<String, TensorInfo> tensors;
  private final long dataStart;

  private SafetensorsHeader(Map<String, String> metadata, Map<String, TensorInfo> tensors, long dataStart) {
    this.metadata = Collections.unmodifiableMap(metadata);
    this.tensors = Collections.unmodifiableMap(tensors);
    this.dataStart = dataStart;
  }

  /** Reads and validates the header of {@code file}. */
  public static SafetensorsHeader read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(channel, file);
    }
  }

  /** Reads and validates the header of {@code file}, open as {@code channel}. */
  static SafetensorsHeader read(FileChannel channel, Path file) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new CheckpointException(file, "truncated: " + size + " bytes, but a safetensors file starts with an "
          + "8-byte header length");
    }
    long length = readFully(channel, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (length < 0 || length > size - 8) {
      throw new CheckpointException(file, "corrupt header: the header length " + Long.toUnsignedString(length)
          + " points past the end of the file (" + size + " bytes)");
    }
    if (length > MAX_HEADER) {
      throw new CheckpointException(file, "corrupt header: the header length " + length + " exceeds the format's "
          + "limit of " + MAX_HEADER + " bytes");
    }
    String json;
    try {
      json = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(readFully(channel, 8, (int) length, file)).toString();
    } catch (CharacterCodingException e) {
      throw new CheckpointException(file, "corrupt header: not UTF-8");
    }
    return parse(json, 8 + length, size - 8 - length, file);
  }

  /** The header {@code json}, whose data section starts at {@code dataStart} and holds {@code dataLength} bytes. */
  private static SafetensorsHeader parse(String json, long dataStart, long dataLength, Path file)
      throws CheckpointException {
    Map<String, JsonElement> entries = entries(json, file);
    Map<String, String> metadata = new LinkedHashMap<>();
    List<TensorInfo> list = new ArrayList<>();
    for (Map.Entry<String, JsonElement> e : entries.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        metadata = metadata(e.getValue(), file);
      } else {
        list.add(tensor(e.getKey(), e.getValue(), file));
      }
    }
    list.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long expected = 0;
    String previous = null;
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    for (TensorInfo t : list) {
      if (t.begin() != expected) {
        throw corrupt(file, t.name(), "its data starts at byte " + t.begin() + " of the data section, but "
            + (previous == null ? "the first tensor must start at 0" : "the tensor before it, " + previous
            + ", ends at " + expected) + " (overlapping tensors or a hole)");
      }
      tensors.put(t.name(), t);
      expected = t.end();
      previous = t.name();
    }
    if (expected > dataLength) {
      throw new CheckpointException(file, "truncated: the tensors' data ends at byte " + expected
          + " of the data section, but the file holds " + dataLength + " bytes of data");
    }
    if (expected < dataLength) {
      throw new CheckpointException(file, "corrupt: " + (dataLength - expected) + " bytes after the last tensor's "
          + "data (the data section must hold exactly the tensors)");
    }
    return new SafetensorsHeader(metadata, tensors, dataStart);
  }

  /** The header's top-level entries in file order: strict JSON, an object, names unique. */
  private static Map<String, JsonElement> entries(String json, Path file) throws CheckpointException {
    Map<String, JsonElement> entries = new LinkedHashMap<>();
    try {
      JsonReader reader = new JsonReader(new StringReader(json));
      reader.setStrictness(Strictness.STRICT);
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        throw new CheckpointException(file, "corrupt header: not a JSON object");
      }
      reader.beginObject();
      while (reader.hasNext()) {
        String name = reader.nextName();
        if (entries.put(name, JsonParser.parseReader(reader)) != null) {
          throw new CheckpointException(file, "corrupt header: the name " + name + " appears twice");
        }
      }
      reader.endObject();
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new CheckpointException(file, "corrupt header: more after the JSON object");
      }
    } catch (IOException | JsonParseException | IllegalStateException e) {
      if (e instanceof CheckpointException c) {
        throw c;
      }
      throw new CheckpointException(file, "corrupt header: not valid JSON (" + e.getMessage() + ")");
    }
    return entries;
  }

  private static Map<String, String> metadata(JsonElement value, Path file) throws CheckpointException {
    if (!value.isJsonObject()) {
      throw new CheckpointException(file, "corrupt header: __metadata__ is not an object of strings");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : value.getAsJsonObject().entrySet()) {
      if (!e.getValue().isJsonPrimitive() || !e.getValue().getAsJsonPrimitive().isString()) {
        throw new CheckpointException(file, "corrupt header: __metadata__ is not an object of strings (at "
            + e.getKey() + ")");
      }
      metadata.put(e.getKey(), e.getValue().getAsString());
    }
    return metadata;
  }

  private static TensorInfo tensor(String name, JsonElement value, Path file) throws CheckpointException {
    if (!value.isJsonObject()) {
      throw corrupt(file, name, "not an object with dtype, shape and data_offsets");
    }
    JsonObject o = value.getAsJsonObject();
    JsonElement dtypeName = o.get("dtype");
    if (dtypeName == null || !dtypeName.isJsonPrimitive() || !dtypeName.getAsJsonPrimitive().isString()) {
      throw corrupt(file, name, "no dtype");
    }
    Dtype dtype = Dtype.named(dtypeName.getAsString());
    if (dtype == null) {
      throw corrupt(file, name, "dtype " + dtypeName + " is not a safetensors dtype normforge knows ("
          + java.util.Arrays.toString(Dtype.values()) + ")");
    }
    long[] shape = integers(o.get("shape"), -1, name, "shape", file);
    long[] offsets = integers(o.get("data_offsets"), 2, name, "data_offsets", file);
    if (offsets[1] < offsets[0]) {
      throw corrupt(file, name, "data_offsets " + java.util.Arrays.toString(offsets) + " end before they begin");
    }
    TensorInfo t = new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    long bytes;
    try {
      bytes = Math.multiplyExact(t.elements(), dtype.bytes());
    } catch (ArithmeticException e) {
      throw corrupt(file, name, "shape " + t.shapeText() + " is too large");
    }
    if (bytes != t.end() - t.begin()) {
      throw corrupt(file, name, "data_offsets [" + t.begin() + ", " + t.end() + "] hold " + (t.end() - t.begin())
          + " bytes, but " + dtype + " " + t.shapeText() + " needs " + bytes);
    }
    return t;
  }

  /** A JSON array of non-negative integers ({@code count} of them, or any number for -1). */
  private static long[] integers(JsonElement value, int count, String tensor, String what, Path file)
      throws CheckpointException {
    if (value == null || !value.isJsonArray() || (count >= 0 && value.getAsJsonArray().size() != count)) {
      throw corrupt(file, tensor, what + " is not an array" + (count >= 0 ? " of " + count : "") + " integers");
    }
    JsonArray array = value.getAsJsonArray();
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonElement v = array.get(i);
      try {
        BigDecimal d = v.getAsJsonPrimitive().getAsBigDecimal();
        values[i] = d.longValueExact();
      } catch (RuntimeException e) {
        throw corrupt(file, tensor, what + " holds " + v + ", not an integer");
      }
      if (values[i] < 0) {
        throw corrupt(file, tensor, what + " holds " + values[i] + ", a negative number");
      }
    }
    return values;
  }

  private static CheckpointException corrupt(Path file, String tensor, String problem) {
    return new CheckpointException(file, "corrupt header: tensor " + tensor + ": " + problem);
  }

  /** {@code length} bytes of {@code channel} from {@code position}, read fully. */
  static ByteBuffer readFully(FileChannel channel, long position, int length, Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new CheckpointException(file, "truncated: the file ended while reading bytes " + position + " to "
            + (position + length));
      }
    }
    return buffer.flip();
  }

  /** The {@code __metadata__} strings (empty without). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Every tensor, in the order of their data. */
  public List<TensorInfo> tensors() {
    return List.copyOf(tensors.values());
  }

  /** The tensor named {@code name}, or null. */
  public TensorInfo get(String name) {
    return tensors.get(name);
  }

  /** Where the data section starts in the file: 8 + the header's length. */
  public long dataStart() {
    return dataStart;
  }
}
