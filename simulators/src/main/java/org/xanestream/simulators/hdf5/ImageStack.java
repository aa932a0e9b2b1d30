package org.xanestream.simulators.hdf5;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Reads image {@code i} of an (n, ny, nx) — or a single (ny, nx) — HDF5 dataset into a caller's float
 * array. jHDF's general slice reader builds a {@code float[1][ny][nx]} through per-element decoding, which
 * alone limits a 2048×2048 replay to ~25 images/s; the common layouts have faster paths:
 * <ul>
 *   <li>contiguous (uncompressed) storage: one positional read of the image's bytes from the file into a
 *       reused buffer, then a bulk conversion;</li>
 *   <li>chunked storage with one image per chunk (FXI and TXM files are written so): the decompressed chunk
 *       from jHDF's filter pipeline, then the same conversion;</li>
 *   <li>anything else (other chunk shapes, unusual element types): jHDF's slice reader.</li>
 * </ul>
 * Element types with a fast path: IEEE float32/float64 and 8/16/32-bit signed or unsigned integers, either
 * byte order.
 *
 * <p>Not thread safe (the reused read buffer). Allocation per image: none on the contiguous path, the
 * decompressed chunk on the chunked path, the slice arrays on the general path.
 */
final class ImageStack {
    private enum Element { F32, F64, I8, U8, I16, U16, I32, U32, OTHER }

    private final Dataset dataset;
    private final FileChannel channel;
    private final int count;
    private final int height;
    private final int width;
    private final Element element;
    private final int elementBytes;
    private final ByteOrder order;
    private final long address; // contiguous data address, or -1
    private final boolean chunkPerImage;
    private final String problem; // why the dataset cannot be read, or null
    private ByteBuffer buffer;

    /**
     * @param dataset a 2- or 3-dimensional dataset with a non-empty image shape (checked by the caller)
     * @param channel the file, open for reading (owned by the caller)
     */
    ImageStack(Dataset dataset, FileChannel channel) {
        this.dataset = dataset;
        this.channel = channel;
        int[] dims = dataset.getDimensions();
        this.count = dims.length == 2 ? 1 : dims[0];
        this.height = dims[dims.length - 2];
        this.width = dims[dims.length - 1];
        DataType type = dataset.getDataType();
        Element e = Element.OTHER;
        ByteOrder o = ByteOrder.LITTLE_ENDIAN;
        if (type instanceof FloatingPoint fp) {
            e = type.getSize() == 4 ? Element.F32 : type.getSize() == 8 ? Element.F64 : Element.OTHER;
            o = fp.getByteOrder();
        } else if (type instanceof FixedPoint fx && fx.getBitOffset() == 0 && fx.getBitPrecision() == 8 * type.getSize()) {
            boolean s = fx.isSigned();
            switch (type.getSize()) {
                case 1: e = s ? Element.I8 : Element.U8; break;
                case 2: e = s ? Element.I16 : Element.U16; break;
                case 4: e = s ? Element.I32 : Element.U32; break;
                default: e = Element.OTHER;
            }
            o = fx.getByteOrder();
        }
        this.element = e;
        this.elementBytes = type.getSize();
        this.order = o;
        long addr = -1;
        String problem = null;
        if (dataset instanceof ContiguousDataset c) { // HDF5 filters need chunked storage
            long a = c.getDataAddress();
            long bytes = (long) count * height * width * type.getSize();
            try {
                if (a >= 0 && a + bytes > channel.size()) {
                    problem = "its data ends at byte " + (a + bytes) + " but the file has " + channel.size()
                            + " bytes (truncated?)";
                } else if (a >= 0 && e != Element.OTHER) {
                    addr = a;
                }
            } catch (IOException ex) {
                problem = ex.getMessage();
            }
        }
        this.address = addr;
        this.problem = problem;
        boolean perImage = false;
        if (e != Element.OTHER && addr < 0 && dataset instanceof ChunkedDataset cd) {
            int[] chunk = cd.getChunkDimensions();
            int n = chunk.length;
            perImage = n >= 2 && chunk[n - 2] == height && chunk[n - 1] == width && (n == 2 || chunk[0] == 1);
        }
        this.chunkPerImage = perImage;
    }

    int count() {
        return count;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The dataset's path in the file. */
    String name() {
        return dataset.getPath();
    }

    /** Which path reads this dataset (for tests and diagnostics). */
    String path() {
        return address >= 0 ? "contiguous" : chunkPerImage ? "chunk-per-image" : "general";
    }

    /**
     * Reads image {@code index} into {@code out} (length ny·nx, row-major).
     *
     * @throws IndexOutOfBoundsException if {@code index} is outside 0..count-1
     * @throws UncheckedIOException      if the file cannot be read
     */
    void read(int index, float[] out) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(dataset.getPath() + " has " + count + " images, asked for " + index);
        }
        if (problem != null) {
            throw new IllegalStateException(dataset.getPath() + ": " + problem);
        }
        int pixels = height * width;
        if (out.length != pixels) {
            throw new IllegalArgumentException("output has " + out.length + " pixels, the image " + width + "x" + height);
        }
        if (address >= 0) {
            int bytes = pixels * elementBytes;
            if (buffer == null || buffer.capacity() < bytes) {
                buffer = ByteBuffer.allocateDirect(bytes);
            }
            ByteBuffer b = buffer;
            b.clear().limit(bytes);
            long pos = address + (long) index * bytes;
            try {
                while (b.hasRemaining()) {
                    int n = channel.read(b, pos + b.position());
                    if (n < 0) {
                        throw new IOException("unexpected end of file at byte " + (pos + b.position()));
                    }
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(dataset.getPath() + " image " + index + ": " + ex.getMessage(), ex);
            }
            b.flip();
            convert(b.order(order), out);
        } else if (chunkPerImage) {
            int[] offset = new int[dataset.getDimensions().length];
            if (offset.length == 3) {
                offset[0] = index;
            }
            byte[] chunk = ((ChunkedDataset) dataset).getDecompressedChunk(offset);
            if (chunk.length < pixels * elementBytes) {
                throw new IllegalStateException(dataset.getPath() + " image " + index + ": chunk holds " + chunk.length
                        + " bytes, expected " + (pixels * elementBytes));
            }
            convert(ByteBuffer.wrap(chunk).order(order), out);
        } else {
            general(index, out);
        }
    }

    private void convert(ByteBuffer b, float[] out) {
        int n = out.length;
        switch (element) {
            case F32:
                b.asFloatBuffer().get(out, 0, n);
                break;
            case F64:
                for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(8 * i);
                break;
            case I8:
                for (int i = 0; i < n; i++) out[i] = b.get(i);
                break;
            case U8:
                for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xFF;
                break;
            case I16:
                for (int i = 0; i < n; i++) out[i] = b.getShort(2 * i);
                break;
            case U16:
                for (int i = 0; i < n; i++) out[i] = b.getShort(2 * i) & 0xFFFF;
                break;
            case I32:
                for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i);
                break;
            case U32:
                for (int i = 0; i < n; i++) out[i] = b.getInt(4 * i) & 0xFFFFFFFFL;
                break;
            default:
                throw new IllegalStateException("no fast path for " + element);
        }
    }

    private void general(int index, float[] out) {
        boolean flat = dataset.getDimensions().length == 2;
        Object data = flat ? dataset.getData()
                : dataset.getData(new long[] {index, 0, 0}, new int[] {1, height, width});
        Object rows = flat ? data : Array.get(data, 0);
        for (int y = 0; y < height; y++) {
            copyRow(Array.get(rows, y), out, y * width, width);
        }
    }

    private static void copyRow(Object row, float[] out, int off, int n) {
        if (row instanceof float[] r) {
            System.arraycopy(r, 0, out, off, n);
        } else if (row instanceof double[] r) {
            for (int x = 0; x < n; x++) out[off + x] = (float) r[x];
        } else if (row instanceof short[] r) {
            for (int x = 0; x < n; x++) out[off + x] = r[x];
        } else if (row instanceof int[] r) {
            for (int x = 0; x < n; x++) out[off + x] = r[x];
        } else if (row instanceof long[] r) {
            for (int x = 0; x < n; x++) out[off + x] = r[x];
        } else if (row instanceof byte[] r) {
            for (int x = 0; x < n; x++) out[off + x] = r[x];
        } else {
            throw new IllegalStateException("unsupported HDF5 element type " + row.getClass().getComponentType());
        }
    }
}
