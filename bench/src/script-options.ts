/**
 * A whole-number option of one of the bench's own scripts (server-instructions, client-instructions),
 * given as `--<name>=<number>` on the command line; `fallback` when it is not given.
 *
 * @throws {Error} naming the option when its value is not a whole number.
 */
export function wholeNumberOption(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  const value = argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} takes a whole number, got ${value}`);
  return Number(value);
}
