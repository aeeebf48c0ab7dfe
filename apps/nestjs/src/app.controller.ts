import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from './auth/auth.guard.js';
import { Claims } from './auth/claims.decorator.js';
import { Scopes } from './auth/scopes.decorator.js';

/** The contract's routes: /health is open; the /protected routes need a verified token. */
@Controller()
export class AppController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('protected')
  @UseGuards(AuthGuard)
  granted(@Claims() user: Claims) {
    return { message: 'Access granted', user };
  }

  @Get('protected/admin')
  @UseGuards(AuthGuard)
  @Scopes('admin')
  admin(@Claims() user: Claims) {
    return { message: 'Access granted', user };
  }
}
