/**
 * Where an issue is: a path of keys from the root, as zod's issues have it
 * (`['options', 'maxAttempts']`), or a path already written out (`topics[1] (billing).endpoint`).
 */
export type ErrorIssuePath = string | readonly PropertyKey[];

/**
 * One problem of an input an error refuses (a configuration, a subscription, options, a payload):
 * where it is and what is wrong. Every family's errors carry their problems as `issues`, in this shape.
 */
export interface ErrorIssue<TPath extends ErrorIssuePath = readonly PropertyKey[]> {
  readonly path: TPath;
  readonly message: string;
}
