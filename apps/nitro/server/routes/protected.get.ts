import { defineEventHandler } from 'h3';
import { authenticate } from '../utils/guard';

/** Any valid token: 200 with every verified claim. */
export default defineEventHandler({
  onRequest: [authenticate],
  handler: (event) => ({ message: 'Access granted', user: event.context.auth }),
});
