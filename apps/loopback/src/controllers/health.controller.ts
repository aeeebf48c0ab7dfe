import { get } from '@loopback/rest';

/** Readiness: no token needed, no JWKS fetch. */
export class HealthController {
  @get('/health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
