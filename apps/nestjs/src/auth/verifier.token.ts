/** The injection token of the process's one Verifier (an interface, so it has no class to inject by). */
export const VERIFIER = Symbol('VERIFIER');
