import type { DevIssuer } from './dev-issuers.ts';
import { headerValue, shellHeader, type TokenHeader } from './header.ts';
import { requestToken } from './mint-endpoint.ts';

// Only relative files and node built-ins here: a starter carries this file bundled.

const PATHS = [
  ['/protected', 'read'],
  ['/protected/admin', 'read admin'],
] as const;

export interface Curl {
  path: string;
  token: string;
}

/** One environment's curls, and what the app answered to the first (200 when they work). */
export interface Section {
  issuer: DevIssuer;
  curls: Curl[];
  status: number;
}

async function mintCurls(issuer: DevIssuer, alg: string, base: string, aud: string | undefined) {
  const curls: Curl[] = [];
  for (const [path, scope] of PATHS) {
    const token = await requestToken(issuer.origin, { alg, scope, aud: aud ?? base + path, exp: 3600 });
    curls.push({ path, token });
  }
  return curls;
}

async function probe(base: string, header: TokenHeader, [curl]: Curl[]): Promise<number> {
  if (!curl) return 0;
  const headers = { [header.name]: headerValue(header, curl.token) };
  return (await fetch(base + curl.path, { headers, signal: AbortSignal.timeout(10_000) })).status;
}

/**
 * Mints gateway-shaped tokens for `/protected` and `/protected/admin` (scope `read admin`) in
 * every environment, with the first algorithm the running app accepts from the first one, and
 * sends each environment's first token once to see that it works. `aud` is the audience given
 * or, as the gateway does when not told otherwise, the request URL.
 */
export async function bannerSections(
  issuers: DevIssuer[],
  base: string,
  header: TokenHeader,
  algs: string[],
  audience?: string,
): Promise<{ alg: string; sections: Section[] }> {
  const [first, ...others] = issuers;
  let chosen: { alg: string; section: Section } | undefined;
  for (const alg of first ? algs : []) {
    const curls = await mintCurls(first as DevIssuer, alg, base, audience);
    const section = { issuer: first as DevIssuer, curls, status: await probe(base, header, curls) };
    chosen ??= { alg, section };
    if (section.status === 200) {
      chosen = { alg, section };
      break;
    }
  }
  if (!chosen) return { alg: algs[0] ?? '', sections: [] };
  const { alg } = chosen;
  const sections = [chosen.section];
  for (const issuer of others) {
    const curls = await mintCurls(issuer, alg, base, audience);
    sections.push({ issuer, curls, status: await probe(base, header, curls) });
  }
  return { alg, sections };
}

/** What `pnpm dev` prints once the app answers: one block of curls per environment. */
export function formatBanner(options: {
  name: string;
  base: string;
  alg: string;
  header: TokenHeader;
  sections: Section[];
  mintHint: string;
}): string {
  const { name, base, alg, header, sections, mintHint } = options;
  const blocks = sections.map(({ issuer, curls, status }) => {
    const note =
      status === 200
        ? ''
        : `, but ${name} answered ${status || 'nothing'} (check JWT_ISSUER, JWT_HEADER, JWT_TOKEN_PREFIX)`;
    const lines = curls.map((c) => `  curl -i ${base}${c.path} -H ${shellHeader(header, c.token)}`);
    return `${issuer.name} (iss ${issuer.url})${note}:\n\n${lines.join('\n\n')}`;
  });
  return `
${name} is ready on ${base}, verifying tokens from the mock gateway's ${sections.length} environments
(JWT_ISSUER=${sections.map((s) => s.issuer.url).join(',')}).
Try it with ${alg} tokens shaped like the gateway's, valid for an hour (more: ${mintHint}):

${blocks.join('\n\n')}
`;
}
