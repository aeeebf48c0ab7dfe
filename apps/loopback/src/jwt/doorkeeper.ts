/**
 * Which verified tokens are worth caching: those seen before (TinyLFU's doorkeeper). A gateway
 * may mint a token per request, and caching each one costs more (the insertion, then collecting
 * what the cache kept) than it ever saves, so a token is cached from its second verification on.
 * Sightings are remembered roughly: one byte per hash of the token's last characters (its
 * signature), all forgotten every `capacity` new sightings so the table never fills up. A
 * collision only caches a token one verification early.
 */
export class Doorkeeper {
  readonly #seen = new Uint8Array(1 << 16);
  #marked = 0;

  constructor(readonly capacity: number) {}

  /** Whether `token` was seen since the last reset; it is marked seen either way. */
  admit(token: string): boolean {
    let hash = 0;
    for (let i = Math.max(0, token.length - 8); i < token.length; i++)
      hash = Math.imul(hash ^ token.charCodeAt(i), 0x9e3779b1);
    const slot = hash >>> 16;
    if (this.#seen[slot] === 1) return true;
    if (++this.#marked > this.capacity) {
      this.#seen.fill(0);
      this.#marked = 1;
    }
    this.#seen[slot] = 1;
    return false;
  }
}
