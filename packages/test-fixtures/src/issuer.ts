import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALGORITHMS, type Alg } from './algorithms.ts';
import { type Answer, type Fault, FaultInjector, REDIRECT_TARGET_PATH } from './faults.ts';
import { generateSigningKey, type SigningKey } from './keys.ts';
import { buildToken, type Claims, defaultClaims, type MintOptions } from './mint.ts';
import { handleMintRequest } from './mint-endpoint.ts';

export interface IssuerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Path of the issuer under the origin, as the gateway has it (`/__zuplo/issuer`). */
  path?: string;
  /** Algorithms to publish one key each for (default: all of the contract's). */
  algorithms?: readonly Alg[];
  /**
   * What `mint()` signs with when no `alg` or `key` is given, like the gateway JWT service's
   * `algorithm` option (default EdDSA, the gateway's default; the first key when not published).
   */
  defaultAlg?: Alg;
  /**
   * The host in its URLs (default `127.0.0.1`); it listens on 127.0.0.1 whatever this says. Linux
   * connects `0.0.0.0` to this machine, an address that is not a loopback one (RFC 6890): an
   * issuer a backend reaches, to which the contract's loopback exception does not apply.
   */
  hostname?: string;
}

export const ISSUER_PATH = '/__zuplo/issuer';
/** A second place the same JWKS is served, to test `JWT_JWKS_URI`. */
export const ALT_JWKS_PATH = '/__mock/keys';
/** Where attacker material is served: an app must never fetch from here. */
export const ATTACKER_PATH = '/attacker/';
/** Where the discovery `redirect` fault points: the real discovery document, hits counted. */
export const DISCOVERY_REDIRECT_PATH = '/__mock/moved/openid-configuration';

/** What the discovery document says, field by field, when a test overrides it. */
export interface DiscoveryFields {
  issuer?: string;
  jwks_uri?: string;
}

export class MockIssuer {
  readonly keys: SigningKey[] = [];
  /** Requests served, by path. */
  readonly requests = new Map<string, number>();
  /** When each JWKS request arrived (`Date.now()`), at either JWKS path, faults included. */
  readonly jwksRequestTimes: number[] = [];
  readonly faults: FaultInjector;
  /** How `<issuer>/.well-known/openid-configuration` misbehaves (`refuse` stops the whole issuer). */
  readonly discoveryFaults: FaultInjector;
  /** Fields of the discovery document that differ from the truth (another `jwks_uri`, say). */
  discovery: DiscoveryFields = {};
  #foreign = new Map<Alg, Promise<SigningKey>>();
  /** What `/attacker/*` serves (set by tests that need it). */
  attackerBody = '{"keys":[]}';

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    readonly path: string,
    readonly defaultAlg: Alg,
  ) {
    this.faults = new FaultInjector(server);
    this.discoveryFaults = new FaultInjector(server, DISCOVERY_REDIRECT_PATH);
  }

  static async start(options: IssuerOptions = {}): Promise<MockIssuer> {
    let issuer: MockIssuer | undefined;
    const server = createServer((req, res) => void issuer?.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    issuer = new MockIssuer(
      server,
      `http://${options.hostname ?? '127.0.0.1'}:${port}`,
      options.path ?? ISSUER_PATH,
      options.defaultAlg ?? 'EdDSA',
    );
    await Promise.all((options.algorithms ?? ALGORITHMS).map((alg) => issuer.publish(alg)));
    return issuer;
  }

  /** The issuer identifier: the exact `iss` of minted tokens and the app's `JWT_ISSUER`. */
  get url(): string {
    return this.origin + this.path;
  }
  get jwksUri(): string {
    return `${this.url}/.well-known/jwks.json`;
  }
  get altJwksUri(): string {
    return this.origin + ALT_JWKS_PATH;
  }
  get attackerUrl(): string {
    return this.origin + ATTACKER_PATH;
  }
  get discoveryUri(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }
  /** Discovery documents asked for, faults included. */
  get discoveryRequests(): number {
    return this.requests.get(new URL(this.discoveryUri).pathname) ?? 0;
  }
  /** Requests for where the discovery `redirect` fault points (an app must never follow it). */
  get discoveryRedirectRequests(): number {
    return this.requests.get(DISCOVERY_REDIRECT_PATH) ?? 0;
  }
  /** Every request this issuer got, whatever the path. */
  get totalRequests(): number {
    let n = 0;
    for (const count of this.requests.values()) n += count;
    return n;
  }
  /** JWKS documents served, at either JWKS path, faults included. */
  get jwksRequests(): number {
    return (this.requests.get(new URL(this.jwksUri).pathname) ?? 0) + (this.requests.get(ALT_JWKS_PATH) ?? 0);
  }
  /** Requests for where the `redirect` fault points (an app must never follow it). */
  get redirectTargetRequests(): number {
    return this.requests.get(REDIRECT_TARGET_PATH) ?? 0;
  }
  /** Requests for anything under `/attacker/`. */
  get attackerRequests(): number {
    let n = 0;
    for (const [path, count] of this.requests) if (path.startsWith(ATTACKER_PATH)) n += count;
    return n;
  }

  jwks(): { keys: SigningKey['jwk'][] } {
    return { keys: this.keys.map((k) => k.jwk) };
  }

  /** Generates and publishes a new key (rotation); the JWKS serves it from now on. */
  async publish(alg: Alg, kid?: string): Promise<SigningKey> {
    return this.add(await generateSigningKey(alg, kid));
  }
  add(key: SigningKey): SigningKey {
    this.keys.push(key);
    return key;
  }
  /** Stops publishing a key (the end of a rotation). */
  retire(kid: string): void {
    const at = this.keys.findIndex((k) => k.kid === kid);
    if (at >= 0) this.keys.splice(at, 1);
  }
  /** The first published key for `alg`. */
  key(alg: Alg): SigningKey {
    const key = this.keys.find((k) => k.alg === alg);
    if (!key) throw new Error(`the mock issuer publishes no ${alg} key`);
    return key;
  }
  /** A key of the same kind that is not in the JWKS (one per algorithm, made on first use). */
  foreignKey(alg: Alg): Promise<SigningKey> {
    const known = this.#foreign.get(alg);
    if (known) return known;
    const key = generateSigningKey(alg, `foreign-${alg.toLowerCase()}`);
    this.#foreign.set(alg, key);
    return key;
  }

  /**
   * A token shaped like the gateway's: header `alg`, `typ: JWT`, `kid`; claims `iss`, `sub`,
   * `iat`, `exp` = now + 300 (a short `expiresIn`), plus `claims` (its `additionalClaims`, and
   * `aud` when given). Signed with `defaultAlg` unless `options.alg` or `options.key` says otherwise.
   */
  mint(claims: Claims = {}, options: MintOptions = {}): string {
    const alg = (options.alg ?? options.key?.alg ?? this.defaultAlg) as Alg;
    const key = options.key ?? this.keys.find((k) => k.alg === alg) ?? this.keys[0];
    return buildToken({ ...defaultClaims(this.url), ...claims }, options, key);
  }

  /** The discovery document as served (OpenID Connect Discovery 1.0 §3), with `discovery`'s overrides. */
  discoveryDocument(): Record<string, unknown> {
    return {
      issuer: this.url,
      jwks_uri: this.jwksUri,
      id_token_signing_alg_values_supported: [...new Set(this.keys.map((k) => k.alg))],
      ...this.discovery,
    };
  }

  /** Makes the JWKS endpoints fail in the given way (or answer as told), or serve normally again with `null`. */
  fault(kind: Fault | Answer | null): Promise<void> {
    return this.faults.set(kind);
  }

  async close(): Promise<void> {
    await this.faults.set(null);
    await this.discoveryFaults.set(null);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.origin).pathname;
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
    const isJwks = path === `${this.path}/.well-known/jwks.json` || path === ALT_JWKS_PATH;
    if (isJwks) this.jwksRequestTimes.push(Date.now());
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (isJwks) {
      if (await this.faults.intercept(res, this.jwks().keys)) return;
      return json(200, this.jwks());
    }
    if (path === REDIRECT_TARGET_PATH) return json(200, this.jwks());
    if (path === `${this.path}/.well-known/openid-configuration`) {
      if (await this.discoveryFaults.intercept(res, [])) return;
      return json(200, this.discoveryDocument());
    }
    if (path === DISCOVERY_REDIRECT_PATH) return json(200, this.discoveryDocument());
    if (path.startsWith(ATTACKER_PATH)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void res.end(this.attackerBody);
    }
    if (path === '/__mock/token' && req.method === 'POST') return handleMintRequest(this, req, json);
    if (path === '/__mock/health') return json(200, { status: 'ok', issuer: this.url });
    return json(404, { error: 'not_found' });
  }
}
