import { HistoryDB } from '../../lib/history/db';
import { keyTotals } from '../../lib/history/queries';

async function variants(o: { dbName: string; orgId: string; from: number; to: number }) {
  const db = new HistoryDB(o.dbName);
  await db.open();
  const out: Record<string, number[]> = {
    keyTotals: [],
    dexieIndexGetAll: [],
    dexiePrimaryRange: [],
    rawIndexGetAll: [],
    rawPrimaryGetAll: [],
    rawIndexGetAllKeysOnly: [],
    rawIndexCount: [],
  };
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    await keyTotals(db, o.orgId, o.from, o.to);
    out.keyTotals!.push(performance.now() - t);
    t = performance.now();
    await db.usage.where('[orgId+day]').between([o.orgId, o.from], [o.orgId, o.to], true, false).toArray();
    out.dexieIndexGetAll!.push(performance.now() - t);
    t = performance.now();
    const n = (await db.usage.where('id').between(`${o.orgId}|${o.from}`, `${o.orgId}|${o.to}`, true, false).toArray()).length;
    out.dexiePrimaryRange!.push(performance.now() - t);
    const idb = db.backendDB();
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((res, rej) => {
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    t = performance.now();
    await req(
      idb
        .transaction('usage', 'readonly')
        .objectStore('usage')
        .index('[orgId+day]')
        .getAll(IDBKeyRange.bound([o.orgId, o.from], [o.orgId, o.to], false, true)),
    );
    out.rawIndexGetAll!.push(performance.now() - t);
    t = performance.now();
    const r2 = await req(
      idb
        .transaction('usage', 'readonly')
        .objectStore('usage')
        .getAll(IDBKeyRange.bound(`${o.orgId}|${o.from}`, `${o.orgId}|${o.to}`, false, true)),
    );
    out.rawPrimaryGetAll!.push(performance.now() - t);
    t = performance.now();
    await req(
      idb
        .transaction('usage', 'readonly')
        .objectStore('usage')
        .index('[orgId+day]')
        .getAllKeys(IDBKeyRange.bound([o.orgId, o.from], [o.orgId, o.to], false, true)),
    );
    out.rawIndexGetAllKeysOnly!.push(performance.now() - t);
    t = performance.now();
    await req(
      idb
        .transaction('usage', 'readonly')
        .objectStore('usage')
        .index('[orgId+day]')
        .count(IDBKeyRange.bound([o.orgId, o.from], [o.orgId, o.to], false, true)),
    );
    out.rawIndexCount!.push(performance.now() - t);
    if (i === 0) console.log('rows', n, r2.length);
  }
  db.close();
  return out;
}

async function fillVariant(o: { dbName: string; n: number; raw: boolean; durability?: IDBTransactionDurability }) {
  const db = new HistoryDB(o.dbName);
  await db.open();
  const rows = Array.from({ length: o.n }, (_, i) => ({
    id: `o|${1700000000 + (i % 400) * 86400}|completions|p|key_${i % 500}|m${i}|||`,
    orgId: 'o',
    day: 1700000000 + (i % 400) * 86400,
    endpoint: 'completions',
    projectId: 'p',
    apiKeyId: `key_${i % 500}`,
    model: `m${i % 4}`,
    batch: '',
    serviceTier: 'default',
    extra: '',
    requests: i,
    inputTokens: i,
    cachedTokens: i,
    outputTokens: i,
    units: 0,
    estimatedMicros: i,
    priceNote: '',
  }));
  const t = performance.now();
  if (!o.raw) await db.usage.bulkPut(rows as never);
  else {
    const tx = db.backendDB().transaction('usage', 'readwrite', { durability: o.durability ?? 'default' });
    const store = tx.objectStore('usage');
    for (const r of rows) store.put(r);
    await new Promise((res, rej) => {
      tx.oncomplete = res;
      tx.onerror = rej;
    });
  }
  const ms = performance.now() - t;
  db.close();
  return ms;
}
(window as unknown as Record<string, unknown>).exp = { variants, fillVariant };
