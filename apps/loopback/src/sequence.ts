import { MiddlewareSequence } from '@loopback/rest';

/**
 * LoopBack's middleware-based sequence, unchanged: sendResponse -> cors -> openApiSpec ->
 * middleware -> findRoute -> authentication (the AuthenticationComponent's middleware, which
 * runs the `jwt` strategy for routes marked @authenticate) -> parseParams -> invokeMethod
 * (where the authorization interceptor runs @authorize voters). Errors from any step reach
 * the reject action bound in application.ts.
 */
export class JwtApiSequence extends MiddlewareSequence {}
