/** Reads a body stream up to `maxBytes`: a hostile or oversized body must not make the server buffer it all. */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ bytes: Buffer; overflowed: boolean }> {
  if (!body) return { bytes: Buffer.alloc(0), overflowed: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return { bytes: Buffer.concat(chunks).subarray(0, maxBytes), overflowed: size > maxBytes };
}
