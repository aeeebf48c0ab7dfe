import { SUPPORTED_ALGORITHMS } from '../src/config';

/** The contract's algorithms this app verifies: all but EdDSA (jsonwebtoken 9 has none). */
export const ALGORITHMS = [...SUPPORTED_ALGORITHMS];
