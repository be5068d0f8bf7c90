// Hashed assets from memory: a file under /assets never changes under its name (a new build has new names), so
// its bytes and its .br/.gz copies are read once and answered from memory, with the headers serveStatic gives
// them. A pod page load asks for ~7 of them at once; from disk each is a stat per encoding, an open and a
// stream. Range and HEAD requests, odd names and files not (yet) built fall through to serveStatic.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { getMimeType } from 'hono/utils/mime';

/** Bytes kept at most, all encodings counted (a build's assets are ~0.2 MB; a watch build adds more over a day). */
export const ASSET_MEMORY_MAX_BYTES = 16 * 1024 * 1024;

type Copy = { bytes: Buffer; lastModified: string };
type Entry = { type: string; plain: Copy; br?: Copy; gzip?: Copy };

/** serveStatic's order of precompressed encodings, of those the build writes (vite.config.ts). */
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;

const SAFE_NAME = /^[\w-]+(?:\.[\w-]+)*$/;

function read(path: string): Copy | undefined {
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return undefined;
    return { bytes: readFileSync(path), lastModified: stats.mtime.toUTCString() };
  } catch {
    return undefined;
  }
}

/** Serves `${root}/assets/<name>` from memory; mount on /assets/* before serveStatic({ root, precompressed }). */
export function assetsFromMemory(root: string): MiddlewareHandler {
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const sizeOf = (e: Entry) => e.plain.bytes.length + (e.br?.bytes.length ?? 0) + (e.gzip?.bytes.length ?? 0);
  const load = (name: string): Entry | undefined => {
    const path = join(root, 'assets', name);
    const plain = read(path);
    if (!plain) return undefined; // not built (yet): never remembered as missing
    const type = getMimeType(path) ?? 'application/octet-stream';
    const entry: Entry = { type, plain };
    // Like serveStatic: only compressible types look for a precompressed copy.
    if (/^(?:text\/|application\/(?:javascript|json)|image\/svg)/.test(type)) {
      for (const [encoding, suffix] of ENCODINGS) {
        const copy = read(path + suffix);
        if (copy) entry[encoding] = copy;
      }
    }
    // The oldest names go first (a new build has new names); one file larger than the budget is not kept.
    const size = sizeOf(entry);
    if (size > ASSET_MEMORY_MAX_BYTES) return entry;
    for (const [oldName, old] of entries) {
      if (bytes + size <= ASSET_MEMORY_MAX_BYTES) break;
      entries.delete(oldName);
      bytes -= sizeOf(old);
    }
    entries.set(name, entry);
    bytes += size;
    return entry;
  };
  return async (c, next) => {
    if (c.req.method !== 'GET' || c.req.header('range')) return next();
    const name = c.req.path.slice(c.req.path.lastIndexOf('/assets/') + '/assets/'.length);
    if (!SAFE_NAME.test(name)) return next();
    const entry = entries.get(name) ?? load(name);
    if (!entry) return next();
    const accepted = new Set(
      c.req
        .header('Accept-Encoding')
        ?.split(',')
        .map((e) => e.trim()),
    );
    let copy = entry.plain;
    c.header('Content-Type', entry.type);
    for (const [encoding] of ENCODINGS) {
      const compressed = entry[encoding];
      if (!accepted.has(encoding) || !compressed) continue;
      c.header('Content-Encoding', encoding);
      c.header('Vary', 'Accept-Encoding', { append: true });
      copy = compressed;
      break;
    }
    c.header('Last-Modified', copy.lastModified);
    c.header('Content-Length', String(copy.bytes.length));
    return c.body(new Uint8Array(copy.bytes), 200);
  };
}
