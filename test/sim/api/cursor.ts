/**
 * Opaque page cursors shaped like OpenAI's ("page_AAAAAGdGxdEiJdKOAAAAAGcqsYA="): base64 of
 * [next bucket start: 8 bytes][query fingerprint: 4 bytes][start_time: 8 bytes]. The fingerprint
 * ties a cursor to the query it came from, so a cursor replayed on another query is rejected.
 */
import { hash32 } from '../seed';

/** Fingerprint of a request: its path and every query parameter except `page`, order-independent. */
export function queryFingerprint(path: string, params: URLSearchParams): number {
  const pairs = [...params].filter(([name]) => name !== 'page').map(([n, v]) => `${n}=${v}`);
  return hash32(`${path}?${pairs.sort().join('&')}`);
}

export function encodeCursor(nextStart: number, fingerprint: number, startTime: number): string {
  const bytes = Buffer.alloc(20);
  bytes.writeBigInt64BE(BigInt(nextStart), 0);
  bytes.writeUInt32BE(fingerprint >>> 0, 8);
  bytes.writeBigInt64BE(BigInt(startTime), 12);
  return `page_${bytes.toString('base64')}`;
}

/** The next bucket start, or null when the cursor is not one of ours for this query. */
export function decodeCursor(cursor: string, fingerprint: number, startTime: number): number | null {
  if (!cursor.startsWith('page_')) return null;
  const bytes = Buffer.from(cursor.slice(5), 'base64');
  if (bytes.length !== 20) return null;
  if (bytes.readUInt32BE(8) !== fingerprint >>> 0) return null;
  if (bytes.readBigInt64BE(12) !== BigInt(startTime)) return null;
  return Number(bytes.readBigInt64BE(0));
}
