/** A request the starter tool refuses (unknown app or runtime, a folder in use): a usage error. */
export class StarterError extends Error {}
