#include "aws/sigv4_crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/logging.h"

namespace cf::aws {

namespace {

// SHA-256 fetched once: OpenSSL 3 looks a digest up again on every use of EVP_sha256(), which
// costs more than hashing a short string.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    CF_CHECK(fetched != nullptr);
    return fetched;
  }();
  return md;
}

// A digest context per thread, reused.
EVP_MD_CTX* ThreadContext() {
  struct Holder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Holder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Holder holder;
  CF_CHECK(holder.ctx != nullptr);
  return holder.ctx;
}

// SHA-256 of the concatenation of `a` and `b` into `out` (32 bytes).
void Sha256Of(std::string_view a, std::string_view b, unsigned char* out) {
  EVP_MD_CTX* ctx = ThreadContext();
  unsigned int length = 0;
  CF_CHECK(EVP_DigestInit_ex(ctx, Sha256Md(), nullptr) == 1);
  CF_CHECK(EVP_DigestUpdate(ctx, a.data(), a.size()) == 1);
  CF_CHECK(EVP_DigestUpdate(ctx, b.data(), b.size()) == 1);
  CF_CHECK(EVP_DigestFinal_ex(ctx, out, &length) == 1 && length == 32);
}

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char digest[32];
  Sha256Of(data, {}, digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

std::string Sha256Hex(std::string_view data) {
  return HexEncode(Sha256(data));
}

// HMAC (RFC 2104) over SHA-256, written out: OpenSSL 3's HMAC() builds a MAC object per call,
// which made it the most expensive step of verifying a request.
std::string HmacSha256(std::string_view key, std::string_view data) {
  constexpr size_t kBlock = 64;
  unsigned char hashed_key[32];
  if (key.size() > kBlock) {
    Sha256Of(key, {}, hashed_key);
    key = std::string_view(reinterpret_cast<const char*>(hashed_key), sizeof(hashed_key));
  }
  char inner_pad[kBlock];
  char outer_pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    char k = i < key.size() ? key[i] : 0;
    inner_pad[i] = static_cast<char>(k ^ 0x36);
    outer_pad[i] = static_cast<char>(k ^ 0x5c);
  }
  unsigned char inner[32];
  Sha256Of(std::string_view(inner_pad, kBlock), data, inner);
  unsigned char digest[32];
  Sha256Of(std::string_view(outer_pad, kBlock),
           std::string_view(reinterpret_cast<const char*>(inner), sizeof(inner)), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.resize(bytes.size() * 2);
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0xf];
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::string UriEncode(std::string_view s, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xf]);
    }
  }
  return out;
}

std::string UriDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace cf::aws
