// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { extensionStorageUses } from '../e2e/bundle-scan';

// The bundle check in security.e2e.ts must be able to fail: these prove it sees storage access.
describe('content-script bundle tripwire', () => {
  it.each([
    ['chrome.storage.local.get(null)'],
    ['e=browser.storage.local;'],
    ['let t=S.storage[e];if(t==null)throw Error("x")'],
    ['r["storage"].sync.set({a:1})'],
    ['console.debug(`[@wxt-dev/storage] Running storage migration`)'],
    ['const k="local:adminKeys"'],
  ])('flags %s', (code) => {
    expect(extensionStorageUses(code)).not.toEqual([]);
  });

  it.each([
    ['runtime:{connect:{minArgs:0,maxArgs:1}},storage:{local:{clear:{minArgs:0,maxArgs:0}}}'], // webextension-polyfill's API table
    ['sessionStorage.getItem("keymeter:tab");window.localStorage.length'],
  ])('lets %s pass', (code) => {
    expect(extensionStorageUses(code)).toEqual([]);
  });
});
