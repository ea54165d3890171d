import { describe, expect, it } from 'vitest';
import { parseCliArguments } from './parse-cli-arguments.js';

describe('parseCliArguments', () => {
  it('reads a URL with every option', () => {
    expect(
      parseCliArguments([
        'http://127.0.0.1:8080/events',
        '--event',
        'shop:echo',
        '-v',
        '3',
        '--timeout',
        '2500',
        '-H',
        'X-Api-Key: k 1',
        '--header',
        'authorization: Bearer t',
        '--only',
        'success-naming, big-integers',
        '--json',
        '--no-color',
      ]),
    ).toEqual({
      kind: 'run',
      url: 'http://127.0.0.1:8080/events',
      echoEvent: 'shop:echo',
      echoVersion: 3,
      timeoutMs: 2500,
      headers: { 'x-api-key': 'k 1', authorization: 'Bearer t' },
      only: ['success-naming', 'big-integers'],
      json: true,
      color: false,
    });
  });

  it('leaves unset options undefined, for the defaults of runConformance', () => {
    expect(parseCliArguments(['http://h/events'])).toEqual({
      kind: 'run',
      url: 'http://h/events',
      echoEvent: undefined,
      echoVersion: undefined,
      timeoutMs: undefined,
      headers: {},
      only: undefined,
      json: false,
      color: undefined,
    });
  });

  it('answers help and list before anything else', () => {
    expect(parseCliArguments(['--help', 'http://h'])).toEqual({ kind: 'help' });
    expect(parseCliArguments(['-h'])).toEqual({ kind: 'help' });
    expect(parseCliArguments(['--list'])).toEqual({ kind: 'list' });
  });

  it.each([
    [[], 'the server URL is missing'],
    [['http://a', 'http://b'], 'unexpected arguments: http://b'],
    [['http://h', '--version', '0'], '--version must be an integer ≥ 1, got 0'],
    [['http://h', '--version', '1.5'], '--version must be an integer ≥ 1, got 1.5'],
    [['http://h', '--timeout', 'soon'], '--timeout must be a positive number of ms, got soon'],
    [['http://h', '--header', 'no-colon'], '--header must look like "name: value", got no-colon'],
    [['http://h', '--event', ''], '--event must not be empty'],
    [['http://h', '--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j: %s', (argv, message) => {
    const command = parseCliArguments(argv);
    expect(command.kind).toBe('usage-error');
    expect(command.kind === 'usage-error' && command.message).toContain(message);
  });
});
