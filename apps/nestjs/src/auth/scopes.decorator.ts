import { SetMetadata } from '@nestjs/common';

export const SCOPES_KEY = 'scopes';

/** `@Scopes('admin')`: each scope named must be in the token's `scope`, else 403 (RFC 6750 §3.1). */
export const Scopes = (...scopes: string[]) => SetMetadata(SCOPES_KEY, scopes);
