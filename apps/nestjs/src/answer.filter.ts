import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthError } from './jwt/index.js';

interface Answer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: { error: string; message: string };
}

/**
 * Every error becomes the contract's JSON answer here, headers included (WWW-Authenticate,
 * Retry-After). Nest's own exceptions (an unknown route is a NotFoundException) keep their 4xx
 * status with our body: their messages quote the request ("Cannot GET /…"), so they never go out.
 */
@Catch()
export class AnswerFilter implements ExceptionFilter {
  private readonly logger = new Logger('AnswerFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response = host.switchToHttp().getResponse();
    const answer = this.answer(error);
    for (const [name, value] of Object.entries(answer.headers)) httpAdapter.setHeader(response, name, value);
    httpAdapter.reply(response, answer.body, answer.status);
  }

  private answer(error: unknown): Answer {
    if (error instanceof HttpException && error.getStatus() < 500) {
      const status = error.getStatus();
      const body =
        status === 404
          ? { error: 'not_found', message: 'Nothing here.' }
          : { error: 'bad_request', message: 'The request cannot be answered.' };
      return { status, headers: {}, body };
    }
    const answer = AuthError.from(error);
    // A bug, not the client's doing: its name only (a message may quote input), then a bare 500.
    if (answer !== error) this.logger.error(`unexpected ${error instanceof Error ? error.name : typeof error}`);
    return answer;
  }
}
