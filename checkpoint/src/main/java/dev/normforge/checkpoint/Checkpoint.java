package dev.normforge.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.normforge.runtime.NamedTensor;
import dev.normforge.runtime.NormModule;
import dev.normforge.runtime.StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loads and saves a model's tensors ({@link NormModule#stateDict()}) in the safetensors format, the format
 * of PyTorch and Hugging Face checkpoints, by name:
 *
 * <pre>{@code
 * Llama model = NormforgeLlama.create();
 * Checkpoint.load(Path.of("llama_norms.safetensors"), model);   // F32, F16 or BF16 -> float, exactly
 * ...
 * Checkpoint.save(model, Path.of("trained.safetensors"));        // F32
 * }</pre>
 *
 * <p>A load is all or nothing: the file is validated ({@link SafetensorsHeader}), every tensor of the model
 * must be in it with the same shape and a dtype that reads as float, and (unless {@link
 * UnexpectedTensors#IGNORE}) every tensor of the file must be in the model; only then are the values read
 * and converted into staging arrays, and only when all of them were read are they copied into the model.
 * Any problem is a {@link CheckpointException} listing every problem found, and the model is unchanged.
 * Only the tensors the model needs are read from the file, so the norms of a large checkpoint load
 * quickly with {@code IGNORE}.
 *
 * <p>A save writes F32 tensors in the model's order, contiguous from offset 0, after a header padded with
 * spaces to a multiple of 8 bytes (as the reference implementation writes it) holding
 * {@code __metadata__: {"format": "pt"}}, which Hugging Face's loaders look for. It writes a temporary
 * file beside the target and moves it over the target, so an interrupted save leaves no partial file.
 *
 * <p>Neither may run while a forward or backward pass of the same model runs: they read and write the
 * live parameter arrays.
 */
public final class Checkpoint {
  private Checkpoint() {}

  /** {@link #load(Path, StateDict, UnexpectedTensors)} of {@code model}'s tensors, rejecting unexpected ones. */
  public static LoadReport load(Path file, NormModule model) throws IOException {
    return load(file, model.stateDict(), UnexpectedTensors.REJECT);
  }

  /** {@link #load(Path, StateDict, UnexpectedTensors)} of {@code model}'s tensors. */
  public static LoadReport load(Path file, NormModule model, UnexpectedTensors unexpected) throws IOException {
    return load(file, model.stateDict(), unexpected);
  }

  /**
   * Loads every tensor of {@code state} from {@code file}, all or nothing.
   *
   * @throws CheckpointException (nothing changed) if the file is not valid safetensors, or a tensor of
   *     the model is missing from it, has another shape or a dtype other than F32, F16 and BF16, or (with
   *     {@link UnexpectedTensors#REJECT}) the file holds a tensor the model does not have
   * @throws IOException (nothing changed) if the file cannot be read
   */
  public static LoadReport load(Path file, StateDict state, UnexpectedTensors unexpected) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      SafetensorsHeader header = SafetensorsHeader.read(channel, file);
      List<String> problems = new ArrayList<>();
      for (NamedTensor t : state) {
        TensorInfo info = header.get(t.name());
        if (info == null) {
          problems.add("missing tensor " + t.name() + ": the model has it (shape " + Arrays.toString(t.shape())
              + "), the file does not");
        } else if (!info.hasShape(t.shape())) {
          problems.add("tensor " + t.name() + ": shape " + info.shapeText() + " in the file, "
              + Arrays.toString(t.shape()) + " in the model");
        } else if (!info.dtype().readsAsFloat()) {
          problems.add("tensor " + t.name() + ": dtype " + info.dtype() + " does not read as float (F32, F16 and "
              + "BF16 do)");
        }
      }
      List<String> skipped = new ArrayList<>();
      for (TensorInfo info : header.tensors()) {
        if (state.get(info.name()) != null) {
          continue;
        }
        if (state.ignored().contains(info.name()) || unexpected == UnexpectedTensors.IGNORE) {
          skipped.add(info.name());
        } else {
          problems.add("unexpected tensor " + info.name() + " (" + info.dtype() + " " + info.shapeText()
              + "): the model has no tensor of that name; load with UnexpectedTensors.IGNORE to skip such tensors");
        }
      }
      if (!problems.isEmpty()) {
        throw new CheckpointException(file, problems);
      }
      List<float[]> staged = new ArrayList<>();
      for (NamedTensor t : state) {
        TensorInfo info = header.get(t.name());
        float[] values = new float[t.size()];
        info.dtype().toFloats(SafetensorsHeader.readFully(channel, header.dataStart() + info.begin(),
            Math.toIntExact(info.end() - info.begin()), file), values);
        staged.add(values);
      }
      // everything validated and read: only now does the model change
      List<String> loaded = new ArrayList<>();
      int i = 0;
      for (NamedTensor t : state) {
        System.arraycopy(staged.get(i++), 0, t.value(), 0, t.size());
        loaded.add(t.name());
      }
      return new LoadReport(loaded, skipped);
    }
  }

  /** {@link #save(StateDict, Path)} of {@code model}'s tensors. */
  public static void save(NormModule model, Path file) throws IOException {
    save(model.stateDict(), file);
  }

  /** Writes every tensor of {@code state} to {@code file} as F32 safetensors, replacing the file. */
  public static void save(StateDict state, Path file) throws IOException {
    JsonObject header = new JsonObject();
    JsonObject metadata = new JsonObject();
    metadata.addProperty("format", "pt");
    header.add("__metadata__", metadata);
    long offset = 0;
    for (NamedTensor t : state) {
      JsonObject entry = new JsonObject();
      entry.addProperty("dtype", Dtype.F32.name());
      JsonArray shape = new JsonArray();
      for (int d : t.shape()) {
        shape.add(d);
      }
      entry.add("shape", shape);
      JsonArray offsets = new JsonArray();
      offsets.add(offset);
      offset += (long) t.size() * Dtype.F32.bytes();
      offsets.add(offset);
      entry.add("data_offsets", offsets);
      header.add(t.name(), entry);
    }
    byte[] json = new GsonBuilder().disableHtmlEscaping().create().toJson(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 8 + 7) / 8 * 8 - 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    Path dir = file.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writeFully(out, head.flip());
        for (NamedTensor t : state) {
          ByteBuffer data = ByteBuffer.allocate(t.size() * Dtype.F32.bytes()).order(ByteOrder.LITTLE_ENDIAN);
          data.asFloatBuffer().put(t.value());
          writeFully(out, data);
        }
        out.force(true);
      }
      move(temp, file);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      out.write(data);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
