import { EventBuilder } from '@events-protocol/core';
import { describe, expect, it } from 'vitest';
import type { ClientLogger } from './client-options.js';
import { DeprecationWarnings } from './deprecation-warnings.js';

function recordingLogger() {
  const warnings: { object: object; message: string | undefined }[] = [];
  const logger: ClientLogger = {
    debug: () => undefined,
    warn: (object, message) => warnings.push({ object, message }),
  };
  return { logger, warnings };
}

describe('DeprecationWarnings', () => {
  it('warns once per event name and version, with the sunset and the note', () => {
    const { logger, warnings } = recordingLogger();
    const deprecations = new DeprecationWarnings(logger);
    const v1 = EventBuilder.request({ name: 'user:get', payload: null, version: 1 });
    const notice = { sunset: '2027-01-01', note: 'use version 2' };
    deprecations.warnOnce(v1, notice);
    deprecations.warnOnce(EventBuilder.request({ name: 'user:get', payload: null, version: 1 }), notice);
    deprecations.warnOnce(EventBuilder.request({ name: 'user:get', payload: null, version: 2 }), true);
    expect(warnings).toEqual([
      {
        object: { event: 'user:get', version: 1, sunset: '2027-01-01', note: 'use version 2' },
        message: 'user:get version 1 is deprecated (sunset 2027-01-01): use version 2',
      },
      {
        object: { event: 'user:get', version: 2, sunset: undefined, note: undefined },
        message: 'user:get version 2 is deprecated',
      },
    ]);
  });

  it('keeps apart two clients, and ignores notice fields that are not strings', () => {
    const first = recordingLogger();
    const second = recordingLogger();
    const request = EventBuilder.request({ name: 'order:list', payload: null });
    new DeprecationWarnings(first.logger).warnOnce(request, { sunset: 20270101, note: ['x'] });
    new DeprecationWarnings(second.logger).warnOnce(request, null);
    expect(first.warnings.map((warning) => warning.message)).toEqual(['order:list version 1 is deprecated']);
    expect(second.warnings).toHaveLength(1);
  });
});
