/**
 * Entity tags for responses a client polls (prospect pages): an ABM tool asking "anything new?" with
 * If-None-Match gets 304 and no body while the page reads the same. Weak tags (W/"…"): they stand for
 * the page's content whatever encoding compression gives its bytes, and If-None-Match compares weakly.
 */
import { createHash } from 'node:crypto';

/** The weak entity tag of `body`. */
export function weakEtag(body: Buffer): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 §13.1.2), or is "*" (any current
 * representation, also one sent without a tag: `etag` null).
 */
export function noneMatch(header: string | undefined, etag: string | null): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || (etag !== null && opaque(tag) === opaque(etag)));
}
