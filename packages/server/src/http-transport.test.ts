import { describe, expect, it } from 'vitest';
import { isJsonContentType } from './http-transport.js';

describe('isJsonContentType', () => {
  it.each([
    undefined,
    '',
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    ' application/json ',
    'application/cloudevents+json',
    'application/vnd.api+json; charset=utf-8',
  ])('takes %j for JSON', (header) => {
    expect(isJsonContentType(header)).toBe(true);
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/json+json',
    'application/jsonp',
    'application/json-seq',
  ])('refuses %j', (header) => {
    expect(isJsonContentType(header)).toBe(false);
  });
});
