/**
 * Prospect pages kept as the bytes last sent, so that a page asked again before anything changed is a
 * copy (the same first page polled by an ABM tool, a list pulled by several sellers). Nothing is ever
 * invalidated by hand: a kept page is served only while the database's snapshot is the one it was read
 * at (src/db/snapshot.ts: no commit since, by any tenant or process) and before the first of its intent
 * ages would read differently. The pages of one snapshot only are kept: a commit frees them all.
 * Requests for a page being read wait for that read: twenty clients polling a page that just changed
 * cost one read.
 */

/** Memory for kept pages unless PAGE_CACHE_MB says otherwise: ≈ 380 pages of 100 prospects (≈ 170 kB each). */
export const DEFAULT_PAGE_CACHE_MB = 64;

/** A page as it is sent: its bytes and their entity tag (`W/"…"`, from the bytes: equal pages, equal tags). */
export interface SentPage {
  body: Buffer;
  etag: string;
}

export interface KeptPage extends SentPage {
  /** The database snapshot the page was read at (read before the page's queries). */
  snapshot: string;
  /** Until when (ms since the epoch) its text reads the same; pages rendered from current values keep 0. */
  sameUntil: number;
}

export class PageCache {
  private readonly pages = new Map<string, KeptPage>();
  /** Pages being read, by snapshot and key. */
  private readonly reading = new Map<string, Promise<Omit<KeptPage, 'snapshot'>>>();
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
  async page(key: string, snapshot: string, read: () => Promise<Omit<KeptPage, 'snapshot'>>): Promise<SentPage> {
    const kept = this.get(key, snapshot, Date.now());
    if (kept) return kept;
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
    const { body, etag } = await reading;
    return { body, etag };
  }

  /** The page kept under `key`, if it was read at `snapshot` and still reads the same at `now`. */
  get(key: string, snapshot: string, now: number): SentPage | null {
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
    this.pages.set(key, page);
    this.bytes += page.body.length;
    for (const oldest of this.pages.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const page = this.pages.get(key);
    if (!page) return;
    this.pages.delete(key);
    this.bytes -= page.body.length;
  }
}
