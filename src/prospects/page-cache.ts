/**
 * Prospect pages kept as the bytes last sent, plain and compressed in each coding asked for, so that a
 * page asked again before anything changed is a copy (the same first page polled by an ABM tool, a list
 * pulled by several sellers), not a read nor a compression. Nothing is ever
 * invalidated by hand: a kept page is served only while the database's snapshot is the one it was read
 * at (src/db/snapshot.ts: no commit since, by any tenant or process) and before the first of its intent
 * ages would read differently. The pages of one snapshot only are kept: a commit frees them all.
 * Requests for a page being read wait for that read, and requests for a page being compressed in a
 * coding wait for that compression: twenty clients polling a page that just changed cost one read and
 * one compression per coding. A page is compressed only when a body is sent (not for a 304).
 */
import { compressedBody, type ContentCoding } from '../http/compression.ts';

/** Memory for kept pages unless PAGE_CACHE_MB says otherwise: ≈ 330 pages of 100 prospects (≈ 170 kB each, ≈ 25 kB more compressed). */
export const DEFAULT_PAGE_CACHE_MB = 64;

/** A page as it is read: its JSON bytes and their entity tag (`W/"…"`, from the bytes: equal pages, equal tags, in any coding). */
export interface PageBytes {
  body: Buffer;
  etag: string;
}

/** A page as it is sent: `body` in `encoding` (a content coding), or plain (null). */
export interface SentPage extends PageBytes {
  encoding: ContentCoding | null;
}

/** A page as it is read, plain, which gives its bytes in a coding when they are to be sent. */
export interface ReadPage extends PageBytes {
  /** The page in `coding` when it is worth compressing: the copy kept with it, else the one being made, else made now and kept. */
  encoded(coding: ContentCoding | null): Promise<SentPage>;
}

export interface KeptPage extends PageBytes {
  /** The database snapshot the page was read at (read before the page's queries). */
  snapshot: string;
  /** Until when (ms since the epoch) its text reads the same; pages rendered from current values keep 0. */
  sameUntil: number;
}

/** A kept page with its bytes in each content coding it was sent in: a page asked again compressed is a copy too. */
interface Kept extends KeptPage {
  compressed: Map<ContentCoding, Buffer>;
}

const sizeOf = (page: Kept) => page.body.length + [...page.compressed.values()].reduce((sum, body) => sum + body.length, 0);

export class PageCache {
  private readonly pages = new Map<string, Kept>();
  /** Pages being read, by snapshot and key. */
  private readonly reading = new Map<string, Promise<Omit<KeptPage, 'snapshot'>>>();
  /** Compressions under way, by page body and coding (weakly: a body no request holds any more is no one's to wait for). */
  private readonly compressing = new WeakMap<Buffer, Map<ContentCoding, Promise<Buffer | null>>>();
  private snapshot: string | null = null;
  private bytes = 0;

  /** `maxBytes` 0 keeps nothing. */
  constructor(private readonly maxBytes: number) {}

  /**
   * The page under `key` at `snapshot` (read before the page's queries, so that a page is never kept as
   * of a snapshot older than what it shows): the kept one, else the one another request is reading, else
   * `read` now and kept. A failed read fails every request waiting for it (the same question at the same
   * snapshot has the same answer) and keeps nothing.
   */
  async page(key: string, snapshot: string, read: () => Promise<Omit<KeptPage, 'snapshot'>>): Promise<ReadPage> {
    const { body, etag } = this.get(key, snapshot, Date.now()) ?? (await this.read(key, snapshot, read));
    return {
      body,
      etag,
      encoded: async (coding) => {
        const compressed = coding === null ? null : await this.compressed(key, body, coding);
        return compressed === null ? { body, etag, encoding: null } : { body: compressed, etag, encoding: coding };
      },
    };
  }

  /** The page kept under `key`, if it was read at `snapshot` and still reads the same at `now`. */
  get(key: string, snapshot: string, now: number): KeptPage | null {
    const page = this.pages.get(key);
    if (!page || page.snapshot !== snapshot || now >= page.sameUntil) return null;
    // Most recently used last: the oldest is the first to go.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  keep(key: string, page: KeptPage, now: number): void {
    if (now >= page.sameUntil || page.body.length > this.maxBytes) return;
    if (page.snapshot !== this.snapshot) {
      this.pages.clear();
      this.bytes = 0;
      this.snapshot = page.snapshot;
    }
    this.drop(key);
    this.pages.set(key, { ...page, compressed: new Map() });
    this.bytes += page.body.length;
    this.fit();
  }

  /** The page under `key` at `snapshot`: the one another request is reading, else `read` now and kept. */
  private read(key: string, snapshot: string, read: () => Promise<Omit<KeptPage, 'snapshot'>>) {
    const readingKey = `${snapshot}\n${key}`;
    let reading = this.reading.get(readingKey);
    if (!reading) {
      reading = read().finally(() => this.reading.delete(readingKey));
      this.reading.set(readingKey, reading);
      reading.then(
        (page) => this.keep(key, { snapshot, ...page }, Date.now()),
        () => {},
      );
    }
    return reading;
  }

  /**
   * The page `body` kept under `key` in `coding` (null: too small to gain): the kept copy, else the one
   * another request is making, else compressed now and kept with the page if it is still kept (it may
   * have gone meanwhile). By body, not key: a key's page read at a newer snapshot is another body.
   */
  private compressed(key: string, body: Buffer, coding: ContentCoding): Promise<Buffer | null> {
    const kept = this.pages.get(key);
    const copy = kept?.body === body ? kept.compressed.get(coding) : undefined;
    if (copy) return Promise.resolve(copy);
    const underway = this.compressing.get(body) ?? new Map<ContentCoding, Promise<Buffer | null>>();
    this.compressing.set(body, underway);
    let compressing = underway.get(coding);
    if (!compressing) {
      compressing = compressedBody(coding, body)
        .then((compressed) => {
          if (compressed) this.keepCompressed(key, body, coding, compressed);
          return compressed;
        })
        .finally(() => underway.delete(coding));
      underway.set(coding, compressing);
    }
    return compressing;
  }

  /** `compressed`, the page `body` in `coding`, kept with it if that page is still kept. */
  private keepCompressed(key: string, body: Buffer, coding: ContentCoding, compressed: Buffer): void {
    const kept = this.pages.get(key);
    if (kept?.body !== body || kept.compressed.has(coding)) return;
    kept.compressed.set(coding, compressed);
    this.bytes += compressed.length;
    this.fit();
  }

  /** The least recently used pages out until the kept ones fit in the budget. */
  private fit(): void {
    for (const oldest of this.pages.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const page = this.pages.get(key);
    if (!page) return;
    this.pages.delete(key);
    this.bytes -= sizeOf(page);
  }
}
