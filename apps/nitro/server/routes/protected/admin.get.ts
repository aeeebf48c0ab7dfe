import { defineEventHandler } from 'h3';
import { requireScope, requireToken } from '../../utils/guard';

/** A valid token whose scope includes "admin"; a valid token without it gets 403. */
export default defineEventHandler({
  onRequest: [requireToken, requireScope('admin')],
  handler: (event) => ({ message: 'Access granted', user: event.context.auth }),
});
