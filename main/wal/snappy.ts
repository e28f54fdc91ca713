// Decompression of Snappy's raw format (github.com/google/snappy, format_description.txt), for
// the index blocks of RocksDB table files, which the binding compresses (sst-layout.ts). Only
// blocks whose checksum matched are decompressed, but a bad stream still throws, never reads
// outside its buffers.

function fail(): never {
  throw new RangeError('malformed Snappy stream');
}

export function unsnappy(input: Uint8Array): Buffer {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) fail();
    const byte = input[pos++]!;
    length += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) break;
  }
  const output = Buffer.alloc(length);
  let out = 0;
  while (pos < input.length) {
    const tag = input[pos++]!;
    let size: number;
    let offset = 0;
    const kind = tag & 3;
    if (kind === 0) {
      // a literal: its length - 1 in the tag, or in the 1-4 bytes after it
      size = (tag >> 2) + 1;
      if (size > 60) {
        const bytes = size - 60;
        if (pos + bytes > input.length) fail();
        size = 1;
        for (let i = 0; i < bytes; i++) size += input[pos + i]! * 2 ** (8 * i);
        pos += bytes;
      }
      if (pos + size > input.length || out + size > length) fail();
      output.set(input.subarray(pos, pos + size), out);
      pos += size;
      out += size;
      continue;
    }
    // a copy of earlier output, with a 1-, 2- or 4-byte offset
    const offsetBytes = kind === 1 ? 1 : kind === 2 ? 2 : 4;
    if (pos + offsetBytes > input.length) fail();
    if (kind === 1) {
      size = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | input[pos]!;
    } else {
      size = (tag >> 2) + 1;
      for (let i = 0; i < offsetBytes; i++) offset += input[pos + i]! * 2 ** (8 * i);
    }
    pos += offsetBytes;
    if (offset === 0 || offset > out || out + size > length) fail();
    // a copy may overlap its own output (a repeated pattern): byte by byte
    for (let i = 0; i < size; i++, out++) output[out] = output[out - offset]!;
  }
  if (out !== length) fail();
  return output;
}
