-- Public keys from JWKs and signature checks, all by OpenSSL 3's libcrypto through LuaJIT's FFI:
-- no signature arithmetic here. nginx is linked against libcrypto, so its symbols are usually in
-- the process already (ffi.C); otherwise libcrypto.so.3 is loaded.
local ffi = require "ffi"
local b64 = require "ngx.base64"

ffi.cdef [[
typedef struct evp_pkey_st EVP_PKEY;
typedef struct evp_pkey_ctx_st EVP_PKEY_CTX;
typedef struct evp_md_ctx_st EVP_MD_CTX;
typedef struct evp_md_st EVP_MD;
EVP_MD *EVP_MD_fetch(void *libctx, const char *algorithm, const char *properties);
int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, void *impl);
EVP_PKEY *d2i_PUBKEY(EVP_PKEY **a, const unsigned char **pp, long length);
int EVP_PKEY_get_bits(const EVP_PKEY *pkey);
void EVP_PKEY_free(EVP_PKEY *pkey);
EVP_PKEY_CTX *EVP_PKEY_CTX_new(EVP_PKEY *pkey, void *engine);
void EVP_PKEY_CTX_free(EVP_PKEY_CTX *ctx);
int EVP_PKEY_verify_init(EVP_PKEY_CTX *ctx);
int EVP_PKEY_CTX_set_signature_md(EVP_PKEY_CTX *ctx, const EVP_MD *md);
int EVP_PKEY_verify(EVP_PKEY_CTX *ctx, const unsigned char *sig, size_t siglen, const unsigned char *tbs, size_t tbslen);
EVP_MD_CTX *EVP_MD_CTX_new(void);
void EVP_MD_CTX_free(EVP_MD_CTX *ctx);
int EVP_DigestVerifyInit_ex(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const char *mdname, void *libctx,
  const char *props, EVP_PKEY *pkey, const void *params);
int EVP_DigestVerify(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen, const unsigned char *tbs, size_t tbslen);
int EVP_PKEY_CTX_set_rsa_padding(EVP_PKEY_CTX *ctx, int pad);
int EVP_PKEY_CTX_set_rsa_pss_saltlen(EVP_PKEY_CTX *ctx, int saltlen);
void ERR_clear_error(void);
]]

local ok, C = pcall(function() return ffi.C.d2i_PUBKEY and ffi.C end)
if not ok then C = ffi.load("libcrypto.so.3") end

local RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST = 6, -1
-- Each digest fetched from the providers once (EVP_sha256() and the like would be looked up on
-- every call), never freed: they live as long as the worker.
local MD = {}
for _, name in ipairs { "SHA256", "SHA384", "SHA512" } do
  MD[name] = C.EVP_MD_fetch(nil, name, nil)
  assert(MD[name] ~= nil, "OpenSSL has no " .. name)
end

-- The AlgorithmIdentifier of each key type's SubjectPublicKeyInfo (DER): rsaEncryption with NULL
-- parameters (RFC 3279 §2.3.1), id-ecPublicKey with the named curve (RFC 5480 §2.1.1), Ed25519
-- (RFC 8410 §3).
local RSA = "\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00"
local P256 = "\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07"
local P384 = "\x30\x10\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x05\x2b\x81\x04\x00\x22"
local ED25519 = "\x30\x05\x06\x03\x2b\x65\x70"

-- What each JWS algorithm needs (RFC 7518 §3): key type and curve, digest, PSS, coordinate size.
local M = {}
M.ALGS = {
  RS256 = { kty = "RSA", id = RSA, md = "SHA256" }, RS384 = { kty = "RSA", id = RSA, md = "SHA384" },
  RS512 = { kty = "RSA", id = RSA, md = "SHA512" },
  PS256 = { kty = "RSA", id = RSA, md = "SHA256", pss = true }, PS384 = { kty = "RSA", id = RSA, md = "SHA384", pss = true },
  PS512 = { kty = "RSA", id = RSA, md = "SHA512", pss = true },
  ES256 = { kty = "EC", crv = "P-256", id = P256, md = "SHA256", size = 32 },
  ES384 = { kty = "EC", crv = "P-384", id = P384, md = "SHA384", size = 48 },
  EdDSA = { kty = "OKP", crv = "Ed25519", id = ED25519, size = 32 },
}

-- One DER element (X.690 §8.1): tag, definite length (short form, or long form: its bytes
-- big-endian after 0x80 + their count), contents.
local function der(tag, body)
  local n, length = #body, ""
  if n < 0x80 then return string.char(tag, n) .. body end
  while n > 0 do
    length = string.char(n % 0x100) .. length
    n = math.floor(n / 0x100)
  end
  return string.char(tag, 0x80 + #length) .. length .. body
end

-- A DER INTEGER from unsigned big-endian bytes (X.690 §8.3): minimal, non-negative.
local function integer(bytes)
  bytes = bytes:gsub("^%z+", "")
  if bytes == "" or bytes:byte(1) >= 0x80 then bytes = "\0" .. bytes end
  return der(0x02, bytes)
end

-- A JWK member's bytes: strict base64url, no padding (RFC 7518 §6).
local function member(jwk, name)
  local value = jwk[name]
  if type(value) ~= "string" or not value:find("^[%w_-]+$") then return nil end
  return b64.decode_base64url(value)
end

-- The public key's bits: RSAPublicKey (RFC 8017 A.1.1), the uncompressed EC point (SEC 1 §2.3.3),
-- or the raw Ed25519 key (RFC 8410 §4); nil when a member is missing or the wrong size.
local function public_bits(jwk, spec)
  if spec.kty == "RSA" then
    local n, e = member(jwk, "n"), member(jwk, "e")
    return n and e and der(0x30, integer(n) .. integer(e))
  end
  local x, y = member(jwk, "x"), member(jwk, "y")
  if not x or #x ~= spec.size then return nil end
  if spec.kty == "OKP" then return x end
  return y and #y == spec.size and "\4" .. x .. y
end

-- A verifier for `jwk` used with `alg`, set up once per key, or nil: private, malformed, off the
-- curve (OpenSSL checks the point), RSA under 2048 bits (RFC 7518 §3.3, as jose). RSA and ECDSA
-- get a public-key context with the operation, digest and padding set (looking them up in the
-- providers is the costliest step), so a call only hashes and verifies: what `openssl speed`
-- times. Ed25519 hashes internally (RFC 8032 §5.1): a digest-verify context, used one-shot.
function M.verifier(jwk, alg)
  local spec = M.ALGS[alg]
  if jwk.d ~= nil then return nil end -- a private key never verifies (RFC 7517 §9.1)
  local bits = public_bits(jwk, spec)
  if not bits then return nil end
  local spki = der(0x30, spec.id .. der(0x03, "\0" .. bits)) -- SubjectPublicKeyInfo (RFC 5280 §4.1)
  local cursor = ffi.new("const unsigned char *[1]", { spki }) -- d2i_PUBKEY moves it past the key
  local key = C.d2i_PUBKEY(nil, cursor, #spki)
  if key == nil then C.ERR_clear_error() return nil end
  key = ffi.gc(key, C.EVP_PKEY_free) -- each context below holds its own reference
  local ctx, ready
  if not spec.md then
    ctx = ffi.gc(C.EVP_MD_CTX_new(), C.EVP_MD_CTX_free)
    ready = C.EVP_DigestVerifyInit_ex(ctx, nil, nil, nil, nil, key, nil) == 1
  else
    ctx = ffi.gc(C.EVP_PKEY_CTX_new(key, nil), C.EVP_PKEY_CTX_free)
    ready = (spec.kty ~= "RSA" or C.EVP_PKEY_get_bits(key) >= 2048)
      and C.EVP_PKEY_verify_init(ctx) == 1 and C.EVP_PKEY_CTX_set_signature_md(ctx, MD[spec.md]) == 1
    if ready and spec.pss then -- RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash
      ready = C.EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1
        and C.EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1
    end
  end
  C.ERR_clear_error()
  return ready and ctx or nil
end

-- RFC 7518 §3.4: JWS carries ECDSA as r || s; OpenSSL wants an ASN.1 Ecdsa-Sig-Value.
local function ecdsa_der(sig, size)
  if #sig ~= 2 * size then return nil end
  return der(0x30, integer(sig:sub(1, size)) .. integer(sig:sub(size + 1)))
end

local hash, hash_size = ffi.new("unsigned char[64]"), ffi.new("unsigned int[1]")

-- true when `sig` is `alg`'s signature of `input` under the verifier `ctx`.
function M.verify(alg, ctx, input, sig)
  local spec, verified = M.ALGS[alg], false
  if spec.kty == "EC" then
    sig = ecdsa_der(sig, spec.size)
    if not sig then return false end
  end
  if not spec.md then
    verified = C.EVP_DigestVerify(ctx, sig, #sig, input, #input) == 1
  elseif C.EVP_Digest(input, #input, hash, hash_size, MD[spec.md], nil) == 1 then
    verified = C.EVP_PKEY_verify(ctx, sig, #sig, hash, hash_size[0]) == 1
  end
  C.ERR_clear_error()
  return verified
end

-- SHA-256 of `text`, 32 raw bytes: the shared token cache's key. A whole token (up to 8 KiB)
-- as the key made every lookup hash and compare it, and every entry take a larger slab.
function M.sha256(text)
  assert(C.EVP_Digest(text, #text, hash, nil, MD.SHA256, nil) == 1, "EVP_Digest failed")
  return ffi.string(hash, 32)
end

return M
