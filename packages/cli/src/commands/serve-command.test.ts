import { describe, expect, it } from 'vitest';
import { typeScriptHint } from './serve-command.js';

describe('typeScriptHint', () => {
  it('names a build and a loader on every Node, and type stripping from Node 22.6 on', () => {
    for (const version of ['20.19.0', '22.5.1']) {
      const hint = typeScriptHint('app.ts', version);
      expect(hint).toContain('NODE_OPTIONS="--import tsx" events serve app.ts');
      expect(hint).not.toContain('strip');
    }
    for (const version of ['22.6.0', '24.1.0']) {
      expect(typeScriptHint('app.ts', version)).toContain(
        'NODE_OPTIONS=--experimental-strip-types events serve app.ts',
      );
    }
  });
});
