#include "provider/local_types.h"

#include <crypt.h>
#include <fmt/format.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "base/base64.h"
#include "base/clock.h"

namespace cf::provider {

namespace {

const std::vector<std::string> kTypes = {
    "local_file",    "local_sensitive_file", "random_id",       "random_password",     "random_pet",
    "random_string", "random_uuid",          "tls_private_key", "tls_self_signed_cert"};

// ---- randomness ----

Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return InternalError("no random bytes available");
  }
  return out;
}

// A uniform integer in [0, n) by rejection sampling.
Result<uint32_t> RandomBelow(uint32_t n) {
  uint32_t limit = UINT32_MAX - (UINT32_MAX % n);
  while (true) {
    ASSIGN_OR_RETURN(std::string b, RandomBytes(4));
    uint32_t v = 0;
    for (char c : b) {
      v = (v << 8) | static_cast<unsigned char>(c);
    }
    if (v < limit) {
      return v % n;
    }
  }
}

int64_t IntArg(const Json& config, const char* name, int64_t fallback) {
  auto it = config.find(name);
  return it != config.end() && it->is_number() ? it->get<int64_t>() : fallback;
}
bool BoolArg(const Json& config, const char* name, bool fallback) {
  auto it = config.find(name);
  return it != config.end() && it->is_boolean() ? it->get<bool>() : fallback;
}
std::string StringArg(const Json& config, const char* name, const std::string& fallback = "") {
  auto it = config.find(name);
  return it != config.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    out += fmt::format("{:02x}", c);
  }
  return out;
}

std::string Digest(const EVP_MD* md, std::string_view data) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), d, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(d), len);
}

std::string Base64Url(std::string_view bytes) {
  std::string s = Base64Encode(bytes);
  while (!s.empty() && s.back() == '=') {
    s.pop_back();
  }
  for (char& c : s) {
    c = c == '+' ? '-' : (c == '/' ? '_' : c);
  }
  return s;
}

// The big-endian bytes as a decimal number.
std::string Decimal(std::string_view bytes) {
  std::vector<unsigned char> n(bytes.begin(), bytes.end());
  std::string digits;
  while (std::any_of(n.begin(), n.end(), [](unsigned char c) { return c != 0; })) {
    int rem = 0;
    for (unsigned char& c : n) {
      int cur = rem * 256 + c;
      c = static_cast<unsigned char>(cur / 10);
      rem = cur % 10;
    }
    digits += static_cast<char>('0' + rem);
  }
  if (digits.empty()) {
    digits = "0";
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

// ---- random_string / random_password ----

Result<Json> RandomString(const Json& config, bool password) {
  int64_t length = IntArg(config, "length", -1);
  if (length < 1 || length > 4096) {
    return InvalidArgumentError("length must be between 1 and 4096");
  }
  struct Set {
    const char* name;
    const char* min_name;
    std::string chars;
    bool enabled;
  };
  std::string special = StringArg(config, "override_special", "!@#$%&*()-_=+[]{}<>:?");
  std::vector<Set> sets = {
      {"lower", "min_lower", "abcdefghijklmnopqrstuvwxyz", BoolArg(config, "lower", true)},
      {"upper", "min_upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", BoolArg(config, "upper", true)},
      {"numeric", "min_numeric", "0123456789",
       BoolArg(config, "numeric", BoolArg(config, "number", true))},
      {"special", "min_special", special, BoolArg(config, "special", true)},
  };
  std::string pool;
  std::string result;
  int64_t mins = 0;
  for (const Set& s : sets) {
    int64_t min = IntArg(config, s.min_name, 0);
    if (min < 0) {
      return InvalidArgumentError(fmt::format("{} must be zero or more", s.min_name));
    }
    if (!s.enabled) {
      continue;
    }
    pool += s.chars;
    mins += min;
    for (int64_t i = 0; i < min && !s.chars.empty(); ++i) {
      ASSIGN_OR_RETURN(uint32_t k, RandomBelow(static_cast<uint32_t>(s.chars.size())));
      result += s.chars[k];
    }
  }
  if (pool.empty()) {
    return InvalidArgumentError("at least one of lower, upper, numeric and special must be true");
  }
  if (mins > length) {
    return InvalidArgumentError("the min_* counts add up to more than length");
  }
  while (static_cast<int64_t>(result.size()) < length) {
    ASSIGN_OR_RETURN(uint32_t k, RandomBelow(static_cast<uint32_t>(pool.size())));
    result += pool[k];
  }
  for (size_t i = result.size(); i > 1; --i) {  // Fisher-Yates
    ASSIGN_OR_RETURN(uint32_t j, RandomBelow(static_cast<uint32_t>(i)));
    std::swap(result[i - 1], result[j]);
  }
  Json state = config;
  for (const Set& s : sets) {
    if (!state.contains(s.name)) {
      state[s.name] = s.enabled;
    }
    if (!state.contains(s.min_name)) {
      state[s.min_name] = 0;
    }
  }
  if (!state.contains("number")) {
    state["number"] = state["numeric"];  // the deprecated alias the provider still plans
  }
  state["result"] = result;
  if (password) {
    state["id"] = "none";
    ASSIGN_OR_RETURN(std::string salt_bytes, RandomBytes(16));
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    if (crypt_gensalt_rn("$2b$", 10, salt_bytes.data(), static_cast<int>(salt_bytes.size()), salt,
                         sizeof(salt)) == nullptr) {
      return InternalError("bcrypt salt generation failed");
    }
    crypt_data data{};
    const char* hash = crypt_r(result.c_str(), salt, &data);
    if (hash == nullptr || hash[0] == '*') {
      return InternalError("bcrypt hashing failed");
    }
    state["bcrypt_hash"] = hash;
  } else {
    state["id"] = result;
  }
  return state;
}

Result<Json> RandomId(const Json& config) {
  int64_t n = IntArg(config, "byte_length", -1);
  if (n < 1 || n > 1024) {
    return InvalidArgumentError("byte_length must be between 1 and 1024");
  }
  ASSIGN_OR_RETURN(std::string bytes, RandomBytes(static_cast<size_t>(n)));
  std::string prefix = StringArg(config, "prefix");
  Json state = config;
  state["id"] = Base64Url(bytes);
  state["b64_url"] = prefix + Base64Url(bytes);
  state["b64_std"] = prefix + Base64Encode(bytes);
  state["hex"] = prefix + Hex(bytes);
  state["dec"] = prefix + Decimal(bytes);
  return state;
}

Result<std::string> Uuid() {
  ASSIGN_OR_RETURN(std::string b, RandomBytes(16));
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string h = Hex(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

constexpr const char* kAdjectives[] = {
    "able",   "bold",   "brave", "bright", "calm",  "clever", "cool",  "eager", "fair",
    "fast",   "fine",   "glad",  "grand",  "happy", "keen",   "kind",  "lucky", "merry",
    "modest", "noble",  "proud", "quick",  "quiet", "ready",  "sharp", "smart", "steady",
    "sunny",  "superb", "swift", "tender", "tidy",  "true",   "vital", "warm",  "wise"};
constexpr const char* kNames[] = {
    "badger", "beagle", "bison", "crane",  "dingo",  "eagle",  "falcon", "ferret", "gecko",
    "heron",  "ibex",   "koala", "lemur",  "lynx",   "marten", "moose",  "newt",   "otter",
    "panda",  "puffin", "quail", "raven",  "salmon", "seal",   "shrew",  "stork",  "tapir",
    "toucan", "trout",  "viper", "walrus", "wombat", "yak",    "zebra",  "mole",   "hare"};

Result<Json> RandomPet(const Json& config) {
  int64_t length = IntArg(config, "length", 2);
  if (length < 1 || length > 32) {
    return InvalidArgumentError("length must be between 1 and 32");
  }
  std::string separator = StringArg(config, "separator", "-");
  std::vector<std::string> words;
  for (int64_t i = 0; i + 1 < length; ++i) {
    ASSIGN_OR_RETURN(uint32_t k, RandomBelow(std::size(kAdjectives)));
    words.emplace_back(kAdjectives[k]);
  }
  ASSIGN_OR_RETURN(uint32_t k, RandomBelow(std::size(kNames)));
  words.emplace_back(kNames[k]);
  std::string prefix = StringArg(config, "prefix");
  if (!prefix.empty()) {
    words.insert(words.begin(), prefix);
  }
  std::string id;
  for (size_t i = 0; i < words.size(); ++i) {
    id += (i == 0 ? "" : separator) + words[i];
  }
  Json state = config;
  state["id"] = id;
  state["length"] = length;
  state["separator"] = separator;
  return state;
}

// ---- tls_private_key ----

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// SSH wire encoding.
void PutU32(std::string& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) {
    out += static_cast<char>((v >> s) & 0xff);
  }
}
void PutString(std::string& out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}
void PutMpint(std::string& out, const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80)) {
    bytes.insert(bytes.begin(), '\0');
  }
  PutString(out, bytes);
}

BIGNUM* BnParam(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(key, name, &bn);
  return bn;
}

std::string OctetParam(EVP_PKEY* key, const char* name) {
  size_t len = 0;
  EVP_PKEY_get_octet_string_param(key, name, nullptr, 0, &len);
  std::string out(len, '\0');
  EVP_PKEY_get_octet_string_param(key, name, reinterpret_cast<unsigned char*>(out.data()), len,
                                  &len);
  out.resize(len);
  return out;
}

struct SshKey {
  std::string type;         // "ssh-rsa", "ecdsa-sha2-nistp256", "ssh-ed25519"; empty: none
  std::string public_blob;  // the public key in SSH wire form
  std::string private_fields;
};

SshKey SshForm(EVP_PKEY* key, const std::string& algorithm, const std::string& curve) {
  SshKey k;
  if (algorithm == "RSA") {
    BIGNUM* n = BnParam(key, OSSL_PKEY_PARAM_RSA_N);
    BIGNUM* e = BnParam(key, OSSL_PKEY_PARAM_RSA_E);
    BIGNUM* d = BnParam(key, OSSL_PKEY_PARAM_RSA_D);
    BIGNUM* p = BnParam(key, OSSL_PKEY_PARAM_RSA_FACTOR1);
    BIGNUM* q = BnParam(key, OSSL_PKEY_PARAM_RSA_FACTOR2);
    BIGNUM* iqmp = BnParam(key, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
    k.type = "ssh-rsa";
    PutString(k.public_blob, k.type);
    PutMpint(k.public_blob, e);
    PutMpint(k.public_blob, n);
    PutString(k.private_fields, k.type);
    PutMpint(k.private_fields, n);
    PutMpint(k.private_fields, e);
    PutMpint(k.private_fields, d);
    PutMpint(k.private_fields, iqmp);
    PutMpint(k.private_fields, p);
    PutMpint(k.private_fields, q);
    for (BIGNUM* bn : {n, e, d, p, q, iqmp}) {
      BN_clear_free(bn);
    }
  } else if (algorithm == "ECDSA") {
    std::string name = curve == "P256"   ? "nistp256"
                       : curve == "P384" ? "nistp384"
                       : curve == "P521" ? "nistp521"
                                         : "";
    if (name.empty()) {
      return k;  // OpenSSH has no P224
    }
    std::string point = OctetParam(key, OSSL_PKEY_PARAM_PUB_KEY);
    BIGNUM* priv = BnParam(key, OSSL_PKEY_PARAM_PRIV_KEY);
    k.type = "ecdsa-sha2-" + name;
    PutString(k.public_blob, k.type);
    PutString(k.public_blob, name);
    PutString(k.public_blob, point);
    PutString(k.private_fields, k.type);
    PutString(k.private_fields, name);
    PutString(k.private_fields, point);
    PutMpint(k.private_fields, priv);
    BN_clear_free(priv);
  } else {
    std::string pub = OctetParam(key, OSSL_PKEY_PARAM_PUB_KEY);
    std::string priv = OctetParam(key, OSSL_PKEY_PARAM_PRIV_KEY);
    k.type = "ssh-ed25519";
    PutString(k.public_blob, k.type);
    PutString(k.public_blob, pub);
    PutString(k.private_fields, k.type);
    PutString(k.private_fields, pub);
    PutString(k.private_fields, priv + pub);
  }
  return k;
}

// The openssh-key-v1 private key, unencrypted, as PEM.
Result<std::string> OpenSshPrivate(const SshKey& k) {
  ASSIGN_OR_RETURN(std::string check, RandomBytes(4));
  std::string section = check + check + k.private_fields;
  PutString(section, "");  // comment
  for (char pad = 1; section.size() % 8 != 0; ++pad) {
    section += pad;
  }
  std::string blob("openssh-key-v1\0", 15);
  PutString(blob, "none");
  PutString(blob, "none");
  PutString(blob, "");
  PutU32(blob, 1);
  PutString(blob, k.public_blob);
  PutString(blob, section);
  std::string b64 = Base64Encode(blob);
  std::string out = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
  for (size_t i = 0; i < b64.size(); i += 70) {
    out += b64.substr(i, 70) + "\n";
  }
  return out + "-----END OPENSSH PRIVATE KEY-----\n";
}

std::string Fingerprint(const std::string& blob) {
  std::string md5 = Digest(EVP_md5(), blob);
  std::string hex;
  for (size_t i = 0; i < md5.size(); ++i) {
    hex += fmt::format("{}{:02x}", i == 0 ? "" : ":", static_cast<unsigned char>(md5[i]));
  }
  return hex;
}

Result<Json> PrivateKey(const Json& config) {
  std::string algorithm = StringArg(config, "algorithm");
  int64_t bits = IntArg(config, "rsa_bits", 2048);
  std::string curve = StringArg(config, "ecdsa_curve", "P224");
  EVP_PKEY* raw = nullptr;
  if (algorithm == "RSA") {
    if (bits < 1024 || bits > 16384) {
      return InvalidArgumentError("rsa_bits must be between 1024 and 16384");
    }
    raw = EVP_RSA_gen(static_cast<unsigned int>(bits));
  } else if (algorithm == "ECDSA") {
    const char* group = curve == "P224"   ? "P-224"
                        : curve == "P256" ? "P-256"
                        : curve == "P384" ? "P-384"
                        : curve == "P521" ? "P-521"
                                          : nullptr;
    if (group == nullptr) {
      return InvalidArgumentError(
          fmt::format("ecdsa_curve \"{}\" is not one of P224, P256, P384, P521", curve));
    }
    raw = EVP_EC_gen(group);
  } else if (algorithm == "ED25519") {
    raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else {
    return InvalidArgumentError(
        fmt::format("algorithm \"{}\" is not one of RSA, ECDSA, ED25519", algorithm));
  }
  if (raw == nullptr) {
    return InternalError("key generation failed");
  }
  Pkey key(raw);
  Bio pem(BIO_new(BIO_s_mem()));
  Bio pkcs8(BIO_new(BIO_s_mem()));
  Bio pub(BIO_new(BIO_s_mem()));
  bool ok = true;
  if (algorithm == "ED25519") {
    ok = PEM_write_bio_PrivateKey(pem.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  } else {
    ok = PEM_write_bio_PrivateKey_traditional(pem.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                              nullptr) == 1;
  }
  ok = ok &&
       PEM_write_bio_PKCS8PrivateKey(pkcs8.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                     nullptr) == 1 &&
       PEM_write_bio_PUBKEY(pub.get(), key.get()) == 1;
  if (!ok) {
    return InternalError("encoding the key failed");
  }
  unsigned char* der = nullptr;
  int der_len = i2d_PUBKEY(key.get(), &der);
  std::string public_der(reinterpret_cast<char*>(der), der_len > 0 ? der_len : 0);
  OPENSSL_free(der);

  Json state = config;
  state["rsa_bits"] = bits;
  state["ecdsa_curve"] = curve;
  state["private_key_pem"] = BioText(pem.get());
  state["private_key_pem_pkcs8"] = BioText(pkcs8.get());
  state["public_key_pem"] = BioText(pub.get());
  state["id"] = Hex(Digest(EVP_sha1(), public_der));
  SshKey ssh = SshForm(key.get(), algorithm, curve);
  if (ssh.type.empty()) {
    state["public_key_openssh"] = "";
    state["private_key_openssh"] = "";
    state["public_key_fingerprint_md5"] = "";
    state["public_key_fingerprint_sha256"] = "";
  } else {
    state["public_key_openssh"] = ssh.type + " " + Base64Encode(ssh.public_blob) + "\n";
    ASSIGN_OR_RETURN(std::string openssh, OpenSshPrivate(ssh));
    state["private_key_openssh"] = openssh;
    state["public_key_fingerprint_md5"] = Fingerprint(ssh.public_blob);
    std::string sha = Base64Encode(Digest(EVP_sha256(), ssh.public_blob));
    while (!sha.empty() && sha.back() == '=') {
      sha.pop_back();
    }
    state["public_key_fingerprint_sha256"] = "SHA256:" + sha;
  }
  return state;
}

// ---- tls_self_signed_cert ----

Result<Json> SelfSignedCert(const Json& config) {
  std::string key_pem = StringArg(config, "private_key_pem");
  Bio in(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  Pkey key(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  if (!key) {
    return InvalidArgumentError("private_key_pem is not a PEM private key");
  }
  int64_t hours = IntArg(config, "validity_period_hours", -1);
  if (hours < 0) {
    return InvalidArgumentError("validity_period_hours must be set, zero or more");
  }
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASSIGN_OR_RETURN(std::string serial_bytes, RandomBytes(16));
  serial_bytes[0] = static_cast<char>(serial_bytes[0] & 0x7f);
  BIGNUM* serial =
      BN_bin2bn(reinterpret_cast<const unsigned char*>(serial_bytes.data()), 16, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  char* serial_dec = BN_bn2dec(serial);
  std::string serial_text = serial_dec;
  OPENSSL_free(serial_dec);
  BN_free(serial);

  auto now = std::chrono::system_clock::now();
  auto end = now + std::chrono::hours(hours);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(hours * 3600));

  X509_NAME* name = X509_get_subject_name(cert.get());
  const Json subjects = config.value("subject", Json::array());
  const Json subject = subjects.is_array() && !subjects.empty() ? subjects[0]
                       : subjects.is_object()                   ? subjects
                                                                : Json::object();
  const std::pair<const char*, const char*> fields[] = {{"country", "C"},
                                                        {"province", "ST"},
                                                        {"locality", "L"},
                                                        {"organization", "O"},
                                                        {"organizational_unit", "OU"},
                                                        {"common_name", "CN"},
                                                        {"street_address", "street"},
                                                        {"postal_code", "postalCode"},
                                                        {"serial_number", "serialNumber"}};
  for (const auto& [field, sn] : fields) {
    auto it = subject.find(field);
    if (it == subject.end()) {
      continue;
    }
    std::vector<std::string> values;
    if (it->is_string()) {
      values.push_back(it->get<std::string>());
    } else if (it->is_array()) {
      for (const Json& v : *it) {
        if (v.is_string()) {
          values.push_back(v.get<std::string>());
        }
      }
    }
    for (const std::string& v : values) {
      X509_NAME_add_entry_by_txt(name, sn, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(v.c_str()), -1, -1, 0);
    }
  }
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  auto add_ext = [&](int nid, const std::string& value) -> Status {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext == nullptr) {
      return InvalidArgumentError(fmt::format("the certificate extension {} is invalid", value));
    }
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
    return OkStatus();
  };
  bool is_ca = BoolArg(config, "is_ca_certificate", false);
  RETURN_IF_ERROR(add_ext(NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE"));
  std::vector<std::string> key_usage;
  std::vector<std::string> ext_usage;
  for (const Json& use : config.value("allowed_uses", Json::array())) {
    std::string u = use.is_string() ? use.get<std::string>() : "";
    static const std::map<std::string, std::string> kKeyUsage = {
        {"digital_signature", "digitalSignature"},
        {"content_commitment", "nonRepudiation"},
        {"key_encipherment", "keyEncipherment"},
        {"data_encipherment", "dataEncipherment"},
        {"key_agreement", "keyAgreement"},
        {"cert_signing", "keyCertSign"},
        {"crl_signing", "cRLSign"},
        {"encipher_only", "encipherOnly"},
        {"decipher_only", "decipherOnly"}};
    static const std::map<std::string, std::string> kExtUsage = {
        {"server_auth", "serverAuth"},    {"client_auth", "clientAuth"},
        {"code_signing", "codeSigning"},  {"email_protection", "emailProtection"},
        {"timestamping", "timeStamping"}, {"ocsp_signing", "OCSPSigning"}};
    if (auto k = kKeyUsage.find(u); k != kKeyUsage.end()) {
      key_usage.push_back(k->second);
    } else if (auto e = kExtUsage.find(u); e != kExtUsage.end()) {
      ext_usage.push_back(e->second);
    } else if (!u.empty() && u != "any_extended") {
      return InvalidArgumentError(fmt::format("allowed_uses: \"{}\" is not a known use", u));
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) {
      out += (out.empty() ? "" : ",") + s;
    }
    return out;
  };
  if (!key_usage.empty()) {
    RETURN_IF_ERROR(add_ext(NID_key_usage, "critical," + join(key_usage)));
  }
  if (!ext_usage.empty()) {
    RETURN_IF_ERROR(add_ext(NID_ext_key_usage, join(ext_usage)));
  }
  std::vector<std::string> alt;
  for (const Json& d : config.value("dns_names", Json::array())) {
    if (d.is_string()) {
      alt.push_back("DNS:" + d.get<std::string>());
    }
  }
  for (const Json& ip : config.value("ip_addresses", Json::array())) {
    if (ip.is_string()) {
      alt.push_back("IP:" + ip.get<std::string>());
    }
  }
  if (!alt.empty()) {
    RETURN_IF_ERROR(add_ext(NID_subject_alt_name, join(alt)));
  }
  RETURN_IF_ERROR(add_ext(NID_subject_key_identifier, "hash"));
  int key_type = EVP_PKEY_get_base_id(key.get());
  const EVP_MD* md = key_type == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (X509_sign(cert.get(), key.get(), md) == 0) {
    return InternalError("signing the certificate failed");
  }
  Bio out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert.get());
  Json state = config;
  state["cert_pem"] = BioText(out.get());
  state["id"] = serial_text;
  state["validity_start_time"] = FormatRfc3339(now);
  state["validity_end_time"] = FormatRfc3339(end);
  state["key_algorithm"] = key_type == EVP_PKEY_RSA  ? "RSA"
                           : key_type == EVP_PKEY_EC ? "ECDSA"
                                                     : "ED25519";
  state["is_ca_certificate"] = is_ca;
  state["early_renewal_hours"] = IntArg(config, "early_renewal_hours", 0);
  state["ready_for_renewal"] = false;
  return state;
}

// ---- local_file ----

Result<int> ParseMode(const std::string& text, const char* name) {
  if (text.size() < 3 || text.size() > 4 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '7'; })) {
    return InvalidArgumentError(
        fmt::format("{} \"{}\" is not an octal permission such as \"0644\"", name, text));
  }
  return std::stoi(text, nullptr, 8);
}

Result<std::string> FileContent(const Json& config, FileSystem& fs,
                                const std::function<std::string(const std::string&)>& resolve) {
  int given = 0;
  std::string content;
  for (const char* name : {"content", "sensitive_content"}) {
    if (config.contains(name) && config[name].is_string()) {
      content = config[name].get<std::string>();
      ++given;
    }
  }
  if (config.contains("content_base64") && config["content_base64"].is_string()) {
    std::optional<std::string> decoded = Base64Decode(config["content_base64"].get<std::string>());
    if (!decoded) {
      return InvalidArgumentError("content_base64 is not base64");
    }
    content = *decoded;
    ++given;
  }
  if (config.contains("source") && config["source"].is_string()) {
    ASSIGN_OR_RETURN(content, fs.ReadFile(resolve(config["source"].get<std::string>())));
    ++given;
  }
  if (given != 1) {
    return InvalidArgumentError(
        "exactly one of content, sensitive_content, content_base64 and source must be set");
  }
  return content;
}

void SetDigests(Json& state, const std::string& content) {
  state["id"] = Hex(Digest(EVP_sha1(), content));
  state["content_md5"] = Hex(Digest(EVP_md5(), content));
  state["content_sha1"] = Hex(Digest(EVP_sha1(), content));
  state["content_sha256"] = Hex(Digest(EVP_sha256(), content));
  state["content_base64sha256"] = Base64Encode(Digest(EVP_sha256(), content));
  state["content_sha512"] = Hex(Digest(EVP_sha512(), content));
  state["content_base64sha512"] = Base64Encode(Digest(EVP_sha512(), content));
}

// Removes what an atomic write of `path` that was killed midway left beside it (the
// FileSystem's temporaries, "NAME.tmp.PID"), so an interrupted apply leaves no stray file.
void RemoveStaleTemporaries(FileSystem& fs, const std::string& path) {
  Result<std::vector<std::string>> names = fs.ListDirectory(DirName(path));
  if (!names.ok()) {
    return;
  }
  std::string prefix = BaseName(path) + ".tmp.";
  for (const std::string& name : *names) {
    if (name.compare(0, prefix.size(), prefix) == 0) {
      (void)fs.RemoveFile(JoinPath(DirName(path), name));
    }
  }
}

}  // namespace

Status PosixChmod(const std::string& path, int mode) {
  if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    return UnavailableError(fmt::format("cannot set the permissions of {}", path));
  }
  return OkStatus();
}

LocalTypesProvider::LocalTypesProvider(FileSystem& fs, std::string base_dir,
                                       std::function<Status(const std::string&, int)> chmod)
    : fs_(fs), base_dir_(std::move(base_dir)), chmod_(std::move(chmod)) {}

const std::vector<std::string>& LocalTypesProvider::Types() {
  return kTypes;
}

bool LocalTypesProvider::Supports(std::string_view type) const {
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

std::string LocalTypesProvider::Pool(std::string_view type) const {
  (void)type;
  return "local";
}

UpdateRules LocalTypesProvider::Rules(std::string_view type) const {
  static const std::map<std::string, std::vector<std::string>, std::less<>> kForceNew = {
      {"random_string",
       {"keepers", "length", "lower", "min_lower", "min_numeric", "min_special", "min_upper",
        "number", "numeric", "override_special", "special", "upper"}},
      {"random_password",
       {"keepers", "length", "lower", "min_lower", "min_numeric", "min_special", "min_upper",
        "number", "numeric", "override_special", "special", "upper"}},
      {"random_id", {"byte_length", "keepers", "prefix"}},
      {"random_uuid", {"keepers"}},
      {"random_pet", {"keepers", "length", "prefix", "separator"}},
      {"tls_private_key", {"algorithm", "ecdsa_curve", "rsa_bits"}},
      {"tls_self_signed_cert",
       {"allowed_uses", "dns_names", "early_renewal_hours", "ip_addresses", "is_ca_certificate",
        "private_key_pem", "set_authority_key_id", "set_subject_key_id", "subject", "uris",
        "validity_period_hours"}},
      {"local_file",
       {"content", "content_base64", "directory_permission", "file_permission", "filename",
        "sensitive_content", "source"}},
      {"local_sensitive_file",
       {"content", "content_base64", "directory_permission", "file_permission", "filename",
        "source"}},
  };
  auto it = kForceNew.find(type);
  return UpdateRules{it == kForceNew.end() ? std::vector<std::string>{} : it->second};
}

std::string LocalTypesProvider::Resolve(const std::string& filename) const {
  if (!filename.empty() && filename[0] == '/') {
    return filename;
  }
  std::string name = filename.rfind("./", 0) == 0 ? filename.substr(2) : filename;
  return base_dir_.empty() || base_dir_ == "." ? name : JoinPath(base_dir_, name);
}

Result<Json> LocalTypesProvider::CreateFile(const std::string& type, const Json& config) {
  std::string filename = StringArg(config, "filename");
  if (filename.empty()) {
    return InvalidArgumentError("filename must be set");
  }
  bool sensitive = type == "local_sensitive_file";
  std::string file_mode_text = StringArg(config, "file_permission", sensitive ? "0700" : "0777");
  std::string dir_mode_text =
      StringArg(config, "directory_permission", sensitive ? "0700" : "0777");
  ASSIGN_OR_RETURN(int file_mode, ParseMode(file_mode_text, "file_permission"));
  ASSIGN_OR_RETURN(int dir_mode, ParseMode(dir_mode_text, "directory_permission"));
  ASSIGN_OR_RETURN(std::string content,
                   FileContent(config, fs_, [this](const std::string& f) { return Resolve(f); }));
  std::string path = Resolve(filename);
  std::string dir = DirName(path);
  if (!fs_.IsDirectory(dir)) {
    RETURN_IF_ERROR(fs_.MakeDirectories(dir));
    if (chmod_) {
      RETURN_IF_ERROR(chmod_(dir, dir_mode));
    }
  }
  RemoveStaleTemporaries(fs_, path);
  RETURN_IF_ERROR(fs_.WriteFileAtomic(path, content));
  if (chmod_) {
    RETURN_IF_ERROR(chmod_(path, file_mode));
  }
  Json state = config;
  state["file_permission"] = file_mode_text;
  state["directory_permission"] = dir_mode_text;
  SetDigests(state, content);
  return state;
}

Result<StepResult> LocalTypesProvider::Create(const InstanceRef& ref, const Json& config) {
  Result<Json> state = InternalError("unsupported");
  if (ref.type == "random_string") {
    state = RandomString(config, false);
  } else if (ref.type == "random_password") {
    state = RandomString(config, true);
  } else if (ref.type == "random_id") {
    state = RandomId(config);
  } else if (ref.type == "random_uuid") {
    Result<std::string> uuid = Uuid();
    if (!uuid.ok()) {
      return uuid.status();
    }
    Json s = config;
    s["id"] = *uuid;
    s["result"] = *uuid;
    state = s;
  } else if (ref.type == "random_pet") {
    state = RandomPet(config);
  } else if (ref.type == "tls_private_key") {
    state = PrivateKey(config);
  } else if (ref.type == "tls_self_signed_cert") {
    state = SelfSignedCert(config);
  } else if (ref.type == "local_file" || ref.type == "local_sensitive_file") {
    state = CreateFile(ref.type, config);
  } else {
    return InvalidArgumentError(fmt::format("{} is not a local resource type", ref.type));
  }
  if (!state.ok()) {
    return state.status().WithContext(ref.address);
  }
  return StepResult{std::move(*state), false};
}

Result<std::vector<std::optional<Json>>> LocalTypesProvider::Read(std::string_view type,
                                                                  const std::vector<Json>& states) {
  std::vector<std::optional<Json>> out;
  for (const Json& s : states) {
    if (type == "local_file" || type == "local_sensitive_file") {
      // As hashicorp/local: a file that is gone or whose content changed is recreated.
      Result<std::string> content = fs_.ReadFile(Resolve(StringArg(s, "filename")));
      if (!content.ok() || Hex(Digest(EVP_sha1(), *content)) != StringArg(s, "id")) {
        out.push_back(std::nullopt);
        continue;
      }
    }
    out.push_back(s);
  }
  return out;
}

Result<StepResult> LocalTypesProvider::Update(const InstanceRef& ref, const Json& prior,
                                              const Json& config) {
  // Every argument forces a replacement; what remains (none today) is kept as configured.
  Json state = prior;
  for (const auto& [k, v] : config.items()) {
    state[k] = v;
  }
  (void)ref;
  return StepResult{state, false};
}

Result<StepResult> LocalTypesProvider::Delete(const InstanceRef& ref, const Json& state) {
  if (ref.type == "local_file" || ref.type == "local_sensitive_file") {
    std::string path = Resolve(StringArg(state, "filename"));
    RemoveStaleTemporaries(fs_, path);
    RETURN_IF_ERROR(fs_.RemoveFile(path));
  }
  return StepResult{state, false};
}

Result<std::vector<PollResult>> LocalTypesProvider::Poll(std::string_view type,
                                                         const std::vector<Json>& states) {
  (void)type;
  std::vector<PollResult> out;
  for (const Json& s : states) {
    PollResult p;
    p.phase = PollResult::Phase::kReady;
    p.state = s;
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::optional<Json>> LocalTypesProvider::Find(const InstanceRef& ref, const Json& config) {
  (void)ref;
  (void)config;
  // Nothing outside this process keeps a random value or a key: an interrupted create made
  // nothing to adopt, and creating again orphans nothing (a file is simply written again).
  return std::optional<Json>();
}

Result<Json> LocalTypesProvider::Import(std::string_view type, std::string_view id) {
  if (type == "random_string" || type == "random_password") {
    Json s = {{"result", id},     {"length", id.size()}, {"special", true}, {"upper", true},
              {"lower", true},    {"numeric", true},     {"min_lower", 0},  {"min_upper", 0},
              {"min_numeric", 0}, {"min_special", 0}};
    s["id"] = type == "random_password" ? std::string("none") : std::string(id);
    return s;
  }
  if (type == "random_uuid") {
    return Json{{"id", id}, {"result", id}};
  }
  return InvalidArgumentError(fmt::format("{} cannot be imported", type));
}

}  // namespace cf::provider
