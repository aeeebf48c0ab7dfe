// A tiny DER writer (X.690), just enough to wrap JWK numbers in a SubjectPublicKeyInfo
// (RFC 5280 §4.1.2.7): njs 0.7.9's WebCrypto imports "spki" keys but not "jwk" ones.

function length(n) {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  if (n < 0x10000) return Buffer.from([0x82, n >> 8, n & 0xff]);
  throw new Error('DER value too long');
}

function tlv(tag, content) {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

/** SEQUENCE of already encoded parts. */
function sequence(parts) {
  return tlv(0x30, Buffer.concat(parts));
}

/** INTEGER from unsigned big-endian bytes: minimal, with a 0x00 when the top bit is set. */
function unsigned(bytes) {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** BIT STRING with no unused bits. */
function bitString(bytes) {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
}

/** Encoded OBJECT IDENTIFIERs and NULL, written out once (hex of the whole TLV). */
const RSA_ENCRYPTION = Buffer.from('06092a864886f70d010101', 'hex'); // 1.2.840.113549.1.1.1
const NULL = Buffer.from('0500', 'hex');
const EC_PUBLIC_KEY = Buffer.from('06072a8648ce3d0201', 'hex'); // 1.2.840.10045.2.1
const CURVES = {
  'P-256': Buffer.from('06082a8648ce3d030107', 'hex'), // 1.2.840.10045.3.1.7 (RFC 5480)
  'P-384': Buffer.from('06052b81040022', 'hex'), // 1.3.132.0.34
};

/** RFC 3279 §2.3.1: SPKI of an RSA key from its modulus and exponent. */
function rsaSpki(n, e) {
  return sequence([sequence([RSA_ENCRYPTION, NULL]), bitString(sequence([unsigned(n), unsigned(e)]))]);
}

/** RFC 5480 §2: SPKI of an uncompressed EC point (0x04 || x || y). */
function ecSpki(curve, x, y) {
  return sequence([
    sequence([EC_PUBLIC_KEY, CURVES[curve]]),
    bitString(Buffer.concat([Buffer.from([4]), x, y])),
  ]);
}

export default { rsaSpki, ecSpki, unsigned, sequence, length };
