/** Where `pnpm issuer` and `pnpm dev` serve the mock gateway's production environment. */
export const DEV_ISSUER_PORT = 3000;
/** And a preview branch: its own host, as on the gateway; past the apps' ports (3001-3008). */
export const DEV_PREVIEW_PORT = 3009;

/** The two environments `pnpm dev` trusts, each an issuer with its own keys. */
export const DEV_ENVIRONMENTS = [
  { name: 'production', port: DEV_ISSUER_PORT },
  { name: 'preview', port: DEV_PREVIEW_PORT },
] as const;
