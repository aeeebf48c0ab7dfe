import { defineEventHandler } from 'h3';
import { authenticate, authorize } from '../../utils/guard';

/** A valid token whose scope includes "admin"; a valid token without it gets 403. */
export default defineEventHandler({
  onRequest: [authenticate, authorize('admin')],
  handler: (event) => ({ message: 'Access granted', user: event.context.auth }),
});
