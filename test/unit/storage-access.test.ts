import { describe, expect, it, vi } from 'vitest';
import { restrictToTrustedContexts } from '@/lib/storage-access';

describe('storage.local closed to content scripts', () => {
  it('asks for trusted contexts only where the area can (Chrome 140+)', async () => {
    const area = {
      setAccessLevel: vi.fn(async function (this: unknown) {
        expect(this).toBe(area);
      }),
    };
    await expect(restrictToTrustedContexts(area)).resolves.toBe('trusted-only');
    expect(area.setAccessLevel).toHaveBeenCalledExactlyOnceWith({ accessLevel: 'TRUSTED_CONTEXTS' });
  });

  it('says "unsupported" where there is no setAccessLevel (Firefox, older Chrome), quietly', async () => {
    const warn = vi.spyOn(console, 'warn');
    await expect(restrictToTrustedContexts({})).resolves.toBe('unsupported');
    await expect(restrictToTrustedContexts(undefined)).resolves.toBe('unsupported');
    expect(warn).not.toHaveBeenCalled();
  });

  it('logs a refusal once and carries on', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const area = { setAccessLevel: vi.fn().mockRejectedValue(new Error('This call is not allowed here')) };
    await expect(restrictToTrustedContexts(area)).resolves.toBe('failed');
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0])).toContain('This call is not allowed here');
  });
});
