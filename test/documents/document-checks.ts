import { Parser } from '@asyncapi/parser';
import { Validator } from '@seriousme/openapi-schema-validator';

/** One finding of the official AsyncAPI parser, in a form a test failure prints readably. */
export interface AsyncApiFinding {
  severity: number;
  code: string;
  message: string;
  path: string;
}

/** Every diagnostic the official `@asyncapi/parser` reports for a document, of any severity. */
export async function asyncApiFindings(document: unknown): Promise<AsyncApiFinding[]> {
  const diagnostics = await new Parser().validate(JSON.stringify(document));
  return diagnostics.map((diagnostic) => ({
    severity: diagnostic.severity,
    code: String(diagnostic.code),
    message: diagnostic.message,
    path: diagnostic.path.join('.'),
  }));
}

/** The parser's only notice on a valid 3.0.0 document: that 3.1.0 exists (severity "information"). */
export const latestVersionNotice = 'asyncapi-latest-version';

/** What `@seriousme/openapi-schema-validator` finds wrong with a document (none when it is valid). */
export async function openApiProblems(document: unknown): Promise<unknown[]> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document) as Parameters<Validator['validate']>[0]);
  if (!result.valid) return Array.isArray(result.errors) ? result.errors : [result.errors];
  validator.resolveRefs();
  return [];
}
