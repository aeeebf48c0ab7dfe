import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Claims as VerifiedClaims } from '../jwt/index.js';

/** `@Claims() user: Claims`: the claims AuthGuard verified for this request (on request.user). */
export const Claims = createParamDecorator(
  (_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest().user,
);
export type Claims = VerifiedClaims;
