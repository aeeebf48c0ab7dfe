import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthError } from './jwt/index.js';

/**
 * Every error becomes the contract's JSON answer here, headers included (WWW-Authenticate,
 * Retry-After): the core's AuthError as it is, anything unexpected as a bare 500.
 */
@Catch()
export class AnswerFilter implements ExceptionFilter {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost) {
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse();
    // Nest's own 4xx (an unknown route is a NotFoundException) keep their status with our body:
    // their messages quote the request ("Cannot GET /…").
    const status = error instanceof HttpException ? error.getStatus() : 500;
    if (status < 500) {
      const code = status === 404 ? 'not_found' : 'bad_request';
      return httpAdapter.reply(response, { error: code, message: 'Nothing to answer here.' }, status);
    }
    const answer = AuthError.from(error);
    // A bug, not the client's doing: its name only (a message may quote input).
    if (answer !== error) Logger.error(`unexpected ${error instanceof Error ? error.name : typeof error}`);
    for (const [name, value] of Object.entries(answer.headers)) httpAdapter.setHeader(response, name, value);
    httpAdapter.reply(response, answer.body, answer.status);
  }
}
