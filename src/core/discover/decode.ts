/**
 * Bytes → text, or a reason why a file is not text. Models only see text, and line numbers in
 * findings must match what the editor shows, so we decode the way editors do: BOMs first (UTF-8,
 * UTF-16 LE/BE), then strict UTF-8, then Latin-1 for legacy files that are still clearly text.
 */

/** `binary`: not text at all (a NUL byte), as opposed to text in an encoding that does not decode. */
export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; reason: string; binary?: boolean };

/** Git's heuristic: a NUL byte in the first 8000 bytes means binary. */
const SNIFF_BYTES = 8000;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): Decoded {
  const body = bytes.subarray(2);
  if (body.length % 2 !== 0) return { ok: false, reason: 'malformed UTF-16 (odd byte count)' };
  try {
    const text = new TextDecoder(bigEndian ? 'utf-16be' : 'utf-16le', { fatal: true }).decode(body);
    return { ok: true, text, encoding: bigEndian ? 'utf-16be' : 'utf-16le' };
  } catch {
    return { ok: false, reason: 'malformed UTF-16 text' };
  }
}

/** Share of C0 control characters other than tab, LF, VT, FF, CR, ESC: high means "not text". */
function controlRatio(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  if (n === 0) return 0;
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) controls++;
  }
  return controls / n;
}

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    try {
      return { ok: true, text: utf8Strict.decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
    } catch {
      return { ok: false, reason: 'malformed UTF-8 after a UTF-8 byte-order mark' };
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, false);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, true);

  if (bytes.subarray(0, SNIFF_BYTES).includes(0)) return { ok: false, reason: 'binary file', binary: true };
  try {
    return { ok: true, text: utf8Strict.decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8. Latin-1 maps every byte to a character, so decide "text or not" on control bytes.
    if (controlRatio(bytes) > 0.01) return { ok: false, reason: 'not text (undecodable bytes)' };
    return { ok: true, text: Buffer.from(bytes).toString('latin1'), encoding: 'latin1' };
  }
}

/** Extensions that are never source, skipped before reading a byte. */
const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'webp', 'tif', 'tiff', 'psd',
  'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'jar', 'war', 'class',
  'exe', 'dll', 'so', 'dylib', 'o', 'a', 'lib', 'obj', 'bin', 'wasm', 'pyc',
  'mp3', 'mp4', 'mov', 'avi', 'wav', 'flac', 'ogg', 'woff', 'woff2', 'ttf', 'otf', 'eot',
  'sqlite', 'db', 'vsix', 'node',
]);

export function hasBinaryExtension(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot >= 0 && BINARY_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}
