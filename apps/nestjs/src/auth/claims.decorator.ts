import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Claims as VerifiedClaims } from '../jwt/index.js';
import type { AuthRequest } from './auth.guard.js';

/** `@Claims() user: Claims`: the claims AuthGuard verified for this request. */
export const Claims = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<AuthRequest>().user,
);
export type Claims = VerifiedClaims;
