import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDK_NAME, SDK_VERSION } from '../../../sdk/src/index.js';

describe('SDK identity', () => {
  it('registers with the name and version of sdk/package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../sdk/package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    expect({ name: SDK_NAME, version: SDK_VERSION }).toEqual({ name: manifest.name, version: manifest.version });
  });
});
