import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AnswerFilter } from './answer.filter.js';
import { AppController } from './app.controller.js';
import { AuthModule } from './auth/auth.module.js';
import type { Config } from './jwt/index.js';

@Module({ controllers: [AppController], providers: [{ provide: APP_FILTER, useClass: AnswerFilter }] })
export class AppModule {
  /** `config` is read from the environment once, in main.ts, before Nest starts. */
  static forRoot(config: Config): DynamicModule {
    return { module: AppModule, imports: [AuthModule.forRoot(config)] };
  }
}
