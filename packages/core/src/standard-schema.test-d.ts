import { z } from 'zod';
import * as zm from 'zod/mini';
import { describe, expectTypeOf, it } from 'vitest';
import type { InferredSchemaInput, SchemaInput, SchemaOutput, StandardSchemaV1 } from './standard-schema.js';

const withDefaults = z.object({
  userId: z.string(),
  verbose: z.boolean().default(false),
  joined: z.string().transform((text) => new Date(text)),
});

describe('SchemaOutput and SchemaInput', () => {
  it('read zod classic schemas from _zod, the output parsed and the input as written', () => {
    expectTypeOf<SchemaOutput<typeof withDefaults>>().toEqualTypeOf<{
      userId: string;
      verbose: boolean;
      joined: Date;
    }>();
    expectTypeOf<SchemaInput<typeof withDefaults>>().toEqualTypeOf<{
      userId: string;
      verbose?: boolean | undefined;
      joined: string;
    }>();
    expectTypeOf<SchemaOutput<typeof withDefaults>>().toEqualTypeOf<z.output<typeof withDefaults>>();
    expectTypeOf<SchemaInput<typeof withDefaults>>().toEqualTypeOf<z.input<typeof withDefaults>>();
    expectTypeOf(withDefaults.parse({})).toEqualTypeOf<SchemaOutput<typeof withDefaults>>();
  });

  it('read zod/mini schemas', () => {
    const mini = zm.object({ count: zm._default(zm.number(), 1) });
    expectTypeOf<SchemaOutput<typeof mini>>().toEqualTypeOf<{ count: number }>();
    expectTypeOf<SchemaInput<typeof mini>>().toEqualTypeOf<{ count?: number | undefined }>();
    expectTypeOf(mini._zod.output).toEqualTypeOf<SchemaOutput<typeof mini>>();
  });

  it('read other validators from ~standard.types', () => {
    expectTypeOf<SchemaOutput<StandardSchemaV1<string, number>>>().toEqualTypeOf<number>();
    expectTypeOf<SchemaInput<StandardSchemaV1<string, number>>>().toEqualTypeOf<string>();
    // A validator's own interface, with its types declared required or optional.
    interface VendorSchema<TInput, TOutput> {
      readonly '~standard': {
        readonly version: 1;
        readonly vendor: 'vendor';
        readonly validate: (value: unknown) => { value: TOutput } | { issues: readonly unknown[] };
        readonly types: { readonly input: TInput; readonly output: TOutput };
      };
    }
    expectTypeOf<SchemaOutput<VendorSchema<string, Date>>>().toEqualTypeOf<Date>();
    expectTypeOf<SchemaInput<VendorSchema<string, Date>>>().toEqualTypeOf<string>();
    type OptionalTypes = { readonly '~standard': { readonly types?: { input: 'in'; output: 'out' } } };
    expectTypeOf<SchemaOutput<OptionalTypes>>().toEqualTypeOf<'out'>();
    expectTypeOf<SchemaInput<OptionalTypes>>().toEqualTypeOf<'in'>();
  });

  it('give unknown for a Standard Schema that declares no types, and for what is no schema', () => {
    type Untyped = { readonly '~standard': { readonly version: 1; readonly types?: undefined } };
    expectTypeOf<SchemaOutput<Untyped>>().toEqualTypeOf<unknown>();
    expectTypeOf<SchemaInput<Untyped>>().toEqualTypeOf<unknown>();
    expectTypeOf<SchemaOutput<{ parse(value: unknown): string }>>().toEqualTypeOf<unknown>();
  });

  it('read the same input by inference, as a contract’s error helper does', () => {
    type Untyped = { readonly '~standard': { readonly version: 1; readonly types?: undefined } };
    expectTypeOf<InferredSchemaInput<typeof withDefaults>>().toEqualTypeOf<SchemaInput<typeof withDefaults>>();
    expectTypeOf<InferredSchemaInput<StandardSchemaV1<string, number>>>().toEqualTypeOf<string>();
    expectTypeOf<InferredSchemaInput<Untyped>>().toEqualTypeOf<unknown>();
  });

  it('distribute over a union of schemas', () => {
    expectTypeOf<SchemaOutput<z.ZodString | z.ZodNumber>>().toEqualTypeOf<string | number>();
  });
});
