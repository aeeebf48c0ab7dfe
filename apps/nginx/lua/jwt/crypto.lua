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
typedef struct bignum_st BIGNUM;
typedef struct ossl_param_bld_st OSSL_PARAM_BLD;
typedef struct ossl_param_st OSSL_PARAM;
const EVP_MD *EVP_get_digestbyname(const char *name);
EVP_MD_CTX *EVP_MD_CTX_new(void);
void EVP_MD_CTX_free(EVP_MD_CTX *ctx);
int EVP_MD_CTX_copy_ex(EVP_MD_CTX *out, const EVP_MD_CTX *in);
int EVP_DigestVerifyInit(EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *md, void *e, EVP_PKEY *pkey);
int EVP_DigestVerify(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen, const unsigned char *tbs, size_t tbslen);
int EVP_PKEY_CTX_set_rsa_padding(EVP_PKEY_CTX *ctx, int pad);
int EVP_PKEY_CTX_set_rsa_pss_saltlen(EVP_PKEY_CTX *ctx, int saltlen);
EVP_PKEY_CTX *EVP_PKEY_CTX_new_from_name(void *libctx, const char *name, const char *propquery);
void EVP_PKEY_CTX_free(EVP_PKEY_CTX *ctx);
int EVP_PKEY_fromdata_init(EVP_PKEY_CTX *ctx);
int EVP_PKEY_fromdata(EVP_PKEY_CTX *ctx, EVP_PKEY **pkey, int selection, OSSL_PARAM *params);
int EVP_PKEY_get_bits(const EVP_PKEY *pkey);
void EVP_PKEY_free(EVP_PKEY *pkey);
OSSL_PARAM_BLD *OSSL_PARAM_BLD_new(void);
void OSSL_PARAM_BLD_free(OSSL_PARAM_BLD *bld);
int OSSL_PARAM_BLD_push_BN(OSSL_PARAM_BLD *bld, const char *key, const BIGNUM *bn);
int OSSL_PARAM_BLD_push_utf8_string(OSSL_PARAM_BLD *bld, const char *key, const char *buf, size_t len);
int OSSL_PARAM_BLD_push_octet_string(OSSL_PARAM_BLD *bld, const char *key, const void *buf, size_t len);
OSSL_PARAM *OSSL_PARAM_BLD_to_param(OSSL_PARAM_BLD *bld);
void OSSL_PARAM_free(OSSL_PARAM *params);
BIGNUM *BN_bin2bn(const unsigned char *s, int len, BIGNUM *ret);
void BN_free(BIGNUM *bn);
void ERR_clear_error(void);
]]

local ok, C = pcall(function() return ffi.C.EVP_PKEY_fromdata and ffi.C end)
if not ok then C = ffi.load("libcrypto.so.3") end

local EVP_PKEY_PUBLIC_KEY = 0x86 -- OSSL_KEYMGMT_SELECT_ALL_PARAMETERS | _PUBLIC_KEY
local RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST = 6, -1

-- What each JWS algorithm needs (RFC 7518 §3): key type, curve, digest, PSS, ECDSA size.
local M = {}
M.ALGS = {
  RS256 = { kty = "RSA", md = "SHA256" }, RS384 = { kty = "RSA", md = "SHA384" },
  RS512 = { kty = "RSA", md = "SHA512" },
  PS256 = { kty = "RSA", md = "SHA256", pss = true }, PS384 = { kty = "RSA", md = "SHA384", pss = true },
  PS512 = { kty = "RSA", md = "SHA512", pss = true },
  ES256 = { kty = "EC", crv = "P-256", md = "SHA256", size = 32 },
  ES384 = { kty = "EC", crv = "P-384", md = "SHA384", size = 48 },
  EdDSA = { kty = "OKP", crv = "Ed25519", size = 32 },
}
for _, alg in pairs(M.ALGS) do
  if alg.md then alg.digest = C.EVP_get_digestbyname(alg.md) end
end

-- A JWK member's bytes: strict base64url, no padding (RFC 7518 §6).
local function member(jwk, name)
  local value = jwk[name]
  if type(value) ~= "string" or not value:find("^[%w_-]+$") then return nil end
  return b64.decode_base64url(value)
end

-- Builds the key from OSSL_PARAMs (EVP_PKEY_fromdata); nil when OpenSSL refuses it.
local function fromdata(kind, push)
  local bld = ffi.gc(C.OSSL_PARAM_BLD_new(), C.OSSL_PARAM_BLD_free)
  local bns = {}
  if not push(bld, bns) then return nil end
  local params = ffi.gc(C.OSSL_PARAM_BLD_to_param(bld), C.OSSL_PARAM_free)
  local ctx = ffi.gc(C.EVP_PKEY_CTX_new_from_name(nil, kind, nil), C.EVP_PKEY_CTX_free)
  local out = ffi.new("EVP_PKEY *[1]")
  local made = params ~= nil and ctx ~= nil and C.EVP_PKEY_fromdata_init(ctx) == 1
    and C.EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) == 1
  C.ERR_clear_error()
  return made and ffi.gc(out[0], C.EVP_PKEY_free) or nil
end

local function bn(bytes, bns)
  local value = ffi.gc(C.BN_bin2bn(bytes, #bytes, nil), C.BN_free)
  bns[#bns + 1] = value -- kept alive until the key is built
  return value
end

-- The EVP_PKEY for `jwk` used with `alg`, or nil (private, malformed, off-curve, RSA < 2048 bits).
function M.public_key(jwk, alg)
  local spec = M.ALGS[alg]
  if jwk.d ~= nil then return nil end -- a private key never verifies (RFC 7517 §9.1)
  if spec.kty == "RSA" then
    local n, e = member(jwk, "n"), member(jwk, "e")
    if not n or not e then return nil end
    local key = fromdata("RSA", function(bld, bns)
      return C.OSSL_PARAM_BLD_push_BN(bld, "n", bn(n, bns)) == 1
        and C.OSSL_PARAM_BLD_push_BN(bld, "e", bn(e, bns)) == 1
    end)
    -- RFC 7518 §3.3: 2048 bits or more, as jose requires.
    return key and C.EVP_PKEY_get_bits(key) >= 2048 and key or nil
  end
  local x, y = member(jwk, "x"), member(jwk, "y")
  if not x or #x ~= spec.size then return nil end
  if spec.kty == "OKP" then
    return fromdata("ED25519", function(bld)
      return C.OSSL_PARAM_BLD_push_octet_string(bld, "pub", x, #x) == 1
    end)
  end
  if not y or #y ~= spec.size then return nil end
  local point = "\4" .. x .. y -- SEC 1 §2.3.3 uncompressed; OpenSSL checks it is on the curve
  return fromdata("EC", function(bld)
    return C.OSSL_PARAM_BLD_push_utf8_string(bld, "group", spec.crv, #spec.crv) == 1
      and C.OSSL_PARAM_BLD_push_octet_string(bld, "pub", point, #point) == 1
  end)
end

-- One DER INTEGER from big-endian bytes (X.690 §8.3): minimal, non-negative.
local function der_integer(bytes)
  bytes = bytes:gsub("^%z+", "")
  if bytes == "" or bytes:byte(1) >= 0x80 then bytes = "\0" .. bytes end
  return "\2" .. string.char(#bytes) .. bytes
end

-- RFC 7518 §3.4: JWS carries ECDSA as r || s; OpenSSL wants an ASN.1 Ecdsa-Sig-Value.
local function ecdsa_der(sig, size)
  if #sig ~= 2 * size then return nil end
  local body = der_integer(sig:sub(1, size)) .. der_integer(sig:sub(size + 1))
  local len = #body < 0x80 and string.char(#body) or "\129" .. string.char(#body)
  return "\48" .. len .. body
end

-- A verify context set up once per key (EVP_DigestVerifyInit looks the algorithm up in the
-- providers every time: the costliest step). Weak keys: it goes with its EVP_PKEY.
local prepared = setmetatable({}, { __mode = "k" })

local function context(spec, key)
  local ctx = prepared[key]
  if ctx == nil then
    ctx = ffi.gc(C.EVP_MD_CTX_new(), C.EVP_MD_CTX_free)
    local pctx = ffi.new("EVP_PKEY_CTX *[1]")
    -- Ed25519 hashes internally: no digest (RFC 8032 §5.1).
    local ok = C.EVP_DigestVerifyInit(ctx, pctx, spec.digest, nil, key) == 1
    if ok and spec.pss then -- RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash
      ok = C.EVP_PKEY_CTX_set_rsa_padding(pctx[0], RSA_PKCS1_PSS_PADDING) == 1
        and C.EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx[0], RSA_PSS_SALTLEN_DIGEST) == 1
    end
    ctx = ok and ctx or false
    prepared[key] = ctx
  end
  return ctx
end

-- true when `sig` is `alg`'s signature of `input` under `key`.
function M.verify(alg, key, input, sig)
  local spec = M.ALGS[alg]
  if spec.kty == "EC" then
    sig = ecdsa_der(sig, spec.size)
    if not sig then return false end
  end
  local ctx = context(spec, key)
  if not ctx then C.ERR_clear_error() return false end
  -- Ed25519 verifies in one shot and keeps no state; the others hash: each call gets a copy.
  if spec.digest ~= nil then
    local copy = ffi.gc(C.EVP_MD_CTX_new(), C.EVP_MD_CTX_free)
    if C.EVP_MD_CTX_copy_ex(copy, ctx) ~= 1 then C.ERR_clear_error() return false end
    ctx = copy
  end
  local ok = C.EVP_DigestVerify(ctx, sig, #sig, input, #input) == 1
  C.ERR_clear_error()
  return ok
end

return M
