import type { Result } from './messaging';
import { createAdminClient } from './openai/client';
import { toErrorInfo } from './openai/errors';
import { adminKeysItem, type Org, orgsItem } from './settings';

/** Background only: checks an admin key against the API, then stores it with its organisation. */
export async function addOrg(
  input: { label: string; adminKey: string },
  options: { fetch?: typeof fetch; onAdded?: (org: Org) => void } = {},
): Promise<Result<Org>> {
  const { fetch: fetchImpl, onAdded } = options;
  const client = createAdminClient({ apiKey: input.adminKey, fetch: fetchImpl, maxAttempts: 2 });
  let projectCount: number;
  let keyCount = 0;
  try {
    const projects = await client.listProjects();
    projectCount = projects.length;
    for (const project of projects) keyCount += (await client.listProjectKeys(project.id)).length;
  } catch (error) {
    return { ok: false, error: toErrorInfo(error) };
  }
  const keys = await adminKeysItem.getValue();
  const orgs = await orgsItem.getValue();
  // The same key added twice is the same organisation: update it instead of duplicating.
  const existingId = Object.entries(keys).find(([, key]) => key === input.adminKey)?.[0];
  const org: Org = {
    id: existingId ?? crypto.randomUUID(),
    label: input.label,
    keyHint: input.adminKey.slice(-4),
    addedAt: Date.now(),
    projectCount,
    keyCount,
  };
  await adminKeysItem.setValue({ ...keys, [org.id]: input.adminKey });
  await orgsItem.setValue([...orgs.filter((o) => o.id !== org.id), org]);
  onAdded?.(org);
  return { ok: true, value: org };
}

export async function removeOrg(orgId: string): Promise<void> {
  const { [orgId]: _removed, ...keys } = await adminKeysItem.getValue();
  await adminKeysItem.setValue(keys);
  await orgsItem.setValue((await orgsItem.getValue()).filter((o) => o.id !== orgId));
}
