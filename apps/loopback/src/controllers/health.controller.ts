import { get } from '@loopback/rest';

/** Readiness: no token needed, no JWKS fetch. */
export class HealthController {
  @get('/health', {
    responses: {
      '200': {
        description: 'The service is up',
        content: {
          'application/json': { schema: { type: 'object', properties: { status: { type: 'string' } } } },
        },
      },
    },
  })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
