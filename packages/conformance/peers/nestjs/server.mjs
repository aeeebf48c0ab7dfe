// NestJS + @nestjs/passport + passport-jwt + jwks-rsa wired the usual way (NestJS has no
// first-party JWKS module): a PassportStrategy(Strategy) whose secretOrKeyProvider is jwks-rsa's
// passportJwtSecret({ cache, rateLimit, jwksRequestsPerMinute: 5, jwksUri }), the token from
// ExtractJwt.fromAuthHeaderAsBearerToken(), audience, issuer and `algorithms: ['RS256']` checked
// by jsonwebtoken, and @UseGuards(AuthGuard('jwt')) on the route; Nest's default exception
// handling answers the errors. Settings: ISSUER, AUDIENCE (comma-separated), JWKS_URI (default
// the issuer's /.well-known/jwks.json). Plain ESM without a build step, so the decorators are
// applied as functions. A reference for the conformance suite, deliberately not hardened.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';

const { ISSUER } = process.env;
const AUDIENCE = process.env.AUDIENCE?.split(',').map((aud) => aud.trim());
const JWKS_URI = process.env.JWKS_URI || `${ISSUER}/.well-known/jwks.json`;

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      secretOrKeyProvider: passportJwtSecret({
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 5,
        jwksUri: JWKS_URI,
      }),
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      audience: AUDIENCE,
      issuer: ISSUER,
      algorithms: ['RS256'],
    });
  }

  validate(payload) {
    return payload;
  }
}
Reflect.decorate([Injectable()], JwtStrategy);

class AppController {
  health() {
    return { status: 'ok' };
  }

  granted(req) {
    return { message: 'Access granted', user: req.user };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(AppController.prototype, name);
Reflect.decorate([Get('health')], AppController.prototype, 'health', method('health'));
Req()(AppController.prototype, 'granted', 0);
Reflect.decorate(
  [Get('protected'), UseGuards(AuthGuard('jwt'))],
  AppController.prototype,
  'granted',
  method('granted'),
);
Reflect.decorate([Controller()], AppController);

class AppModule {}
Reflect.decorate(
  [Module({ imports: [PassportModule], controllers: [AppController], providers: [JwtStrategy] })],
  AppModule,
);

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
