import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A mistake in what the user typed: printed as one line plus the usage, exit code 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs`, strict, with `--help`, and with a negative number accepted as a value
 * (`--exp -60`; parseArgs alone takes `-60` for an option and refuses it as ambiguous).
 */
export function parse<O extends Options>(args: string[], options: O) {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  try {
    return parseArgs({
      args: joined,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
  } catch (error) {
    // Node's messages run over several lines; the first one says what is wrong.
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
}

/** An integer within bounds, or a UsageError naming the flag. */
export function integer(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
