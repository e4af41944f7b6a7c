#include "provider/local_types.h"

#include <crypt.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "provider/composite.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::provider {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class LocalTypesTest : public ::testing::Test {
 protected:
  Json Create(const std::string& type, const Json& config) {
    Result<StepResult> r = provider_.Create({type, type + ".t", "cf-token"}, config);
    EXPECT_OK(r);
    if (!r.ok()) {
      return Json::object();
    }
    EXPECT_FALSE(r->pending);
    return r->state;
  }
  InMemoryFileSystem fs_;
  LocalTypesProvider provider_{fs_, "/cfg"};
};

TEST_F(LocalTypesTest, RandomStringHonoursLengthSetsAndMinimums) {
  Json s = Create("random_string",
                  {{"length", 24}, {"special", false}, {"upper", false}, {"min_numeric", 6}});
  std::string result = s["result"];
  EXPECT_EQ(result.size(), 24u);
  EXPECT_EQ(s["id"], result);
  int digits = 0;
  for (char c : result) {
    EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) ||
                std::isdigit(static_cast<unsigned char>(c)))
        << result;
    digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  }
  EXPECT_GE(digits, 6);
  EXPECT_NE(Create("random_string", {{"length", 24}})["result"], result);
  EXPECT_THAT(provider_.Create({"random_string", "random_string.x", "t"}, {{"length", 0}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("random_string.x: length")));
}

TEST_F(LocalTypesTest, RandomPasswordCarriesAVerifiableBcryptHash) {
  Json s = Create("random_password", {{"length", 20}});
  EXPECT_EQ(s["id"], "none");
  std::string hash = s["bcrypt_hash"];
  EXPECT_THAT(hash, StartsWith("$2b$10$"));
  crypt_data data{};
  std::string password = s["result"];
  EXPECT_EQ(std::string(crypt_r(password.c_str(), hash.c_str(), &data)), hash);
}

TEST_F(LocalTypesTest, RandomIdFormsAgree) {
  Json s = Create("random_id", {{"byte_length", 8}, {"prefix", "p-"}});
  std::string hex = s["hex"];
  ASSERT_EQ(hex.size(), 18u);
  EXPECT_THAT(hex, StartsWith("p-"));
  unsigned long long v = std::stoull(hex.substr(2), nullptr, 16);
  EXPECT_EQ(s["dec"], "p-" + std::to_string(v));
  EXPECT_EQ(s["b64_url"], "p-" + s["id"].get<std::string>());
}

TEST_F(LocalTypesTest, RandomUuidAndPet) {
  Json u = Create("random_uuid", Json::object());
  EXPECT_TRUE(std::regex_match(
      u["result"].get<std::string>(),
      std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  Json p = Create("random_pet", {{"length", 3}, {"separator", "_"}});
  EXPECT_TRUE(std::regex_match(p["id"].get<std::string>(), std::regex("[a-z]+_[a-z]+_[a-z]+")));
}

X509* ParseCert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

TEST_F(LocalTypesTest, PrivateKeysInEveryAlgorithm) {
  Json rsa = Create("tls_private_key", {{"algorithm", "RSA"}, {"rsa_bits", 2048}});
  EXPECT_THAT(rsa["private_key_pem"].get<std::string>(),
              StartsWith("-----BEGIN RSA PRIVATE KEY-----"));
  EXPECT_THAT(rsa["private_key_pem_pkcs8"].get<std::string>(),
              StartsWith("-----BEGIN PRIVATE KEY-----"));
  EXPECT_THAT(rsa["public_key_pem"].get<std::string>(), StartsWith("-----BEGIN PUBLIC KEY-----"));
  EXPECT_THAT(rsa["public_key_openssh"].get<std::string>(), StartsWith("ssh-rsa AAAA"));
  EXPECT_THAT(rsa["private_key_openssh"].get<std::string>(),
              StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
  EXPECT_TRUE(std::regex_match(rsa["public_key_fingerprint_md5"].get<std::string>(),
                               std::regex("([0-9a-f]{2}:){15}[0-9a-f]{2}")));
  EXPECT_THAT(rsa["public_key_fingerprint_sha256"].get<std::string>(), StartsWith("SHA256:"));
  EXPECT_EQ(rsa["id"].get<std::string>().size(), 40u);

  Json ec = Create("tls_private_key", {{"algorithm", "ECDSA"}, {"ecdsa_curve", "P256"}});
  EXPECT_THAT(ec["private_key_pem"].get<std::string>(),
              StartsWith("-----BEGIN EC PRIVATE KEY-----"));
  EXPECT_THAT(ec["public_key_openssh"].get<std::string>(), StartsWith("ecdsa-sha2-nistp256 AAAA"));
  Json p224 = Create("tls_private_key", {{"algorithm", "ECDSA"}});
  EXPECT_EQ(p224["ecdsa_curve"], "P224");
  EXPECT_EQ(p224["public_key_openssh"], "");  // OpenSSH has no P-224
  Json ed = Create("tls_private_key", {{"algorithm", "ED25519"}});
  EXPECT_THAT(ed["public_key_openssh"].get<std::string>(), StartsWith("ssh-ed25519 AAAA"));
  EXPECT_THAT(
      provider_.Create({"tls_private_key", "tls_private_key.k", "t"}, {{"algorithm", "DSA"}}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("not one of RSA, ECDSA, ED25519")));
}

// ssh-keygen, where installed, reads the OpenSSH private key back to the same public key.
TEST_F(LocalTypesTest, OpenSshPrivateKeyReadsBackWithSshKeygen) {
  if (std::system("command -v ssh-keygen >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "ssh-keygen is not installed";
  }
  for (const Json& config : {Json{{"algorithm", "ED25519"}}, Json{{"algorithm", "RSA"}},
                             Json{{"algorithm", "ECDSA"}, {"ecdsa_curve", "P384"}}}) {
    Json key = Create("tls_private_key", config);
    std::string path =
        std::filesystem::temp_directory_path() / ("cf-key-" + std::to_string(::getpid()));
    { std::ofstream(path) << key["private_key_openssh"].get<std::string>(); }
    std::filesystem::permissions(
        path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::string cmd = "ssh-keygen -y -f " + path + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    while (fgets(buf, sizeof(buf), p) != nullptr) {
      out += buf;
    }
    pclose(p);
    std::filesystem::remove(path);
    std::string want = key["public_key_openssh"];
    EXPECT_EQ(out.substr(0, want.size() - 1), want.substr(0, want.size() - 1)) << config.dump();
  }
}

TEST_F(LocalTypesTest, SelfSignedCertificateHasTheSubjectAndNames) {
  Json key = Create("tls_private_key", {{"algorithm", "ECDSA"}, {"ecdsa_curve", "P256"}});
  Json cert = Create(
      "tls_self_signed_cert",
      {{"private_key_pem", key["private_key_pem"]},
       {"validity_period_hours", 24},
       {"subject", Json::array({{{"common_name", "weka.internal"}, {"organization", "ACME"}}})},
       {"dns_names", {"weka.internal"}},
       {"allowed_uses", {"key_encipherment", "digital_signature", "server_auth"}}});
  X509* x = ParseCert(cert["cert_pem"]);
  ASSERT_NE(x, nullptr);
  char cn[256] = {0};
  X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn, sizeof(cn));
  EXPECT_STREQ(cn, "weka.internal");
  EXPECT_EQ(X509_check_host(x, "weka.internal", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(x, "other.internal", 0, 0, nullptr), 0);
  X509_free(x);
  EXPECT_EQ(cert["key_algorithm"], "ECDSA");
  EXPECT_FALSE(cert["validity_end_time"].get<std::string>().empty());
}

TEST_F(LocalTypesTest, LocalFileIsWrittenReadAndDeleted) {
  Json s = Create("local_file", {{"filename", "keys/id.pub"}, {"content", "hello\n"}});
  Result<std::string> written = fs_.ReadFile("/cfg/keys/id.pub");
  ASSERT_OK(written);
  EXPECT_EQ(*written, "hello\n");
  EXPECT_EQ(s["content_sha256"],
            "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  EXPECT_EQ(s["file_permission"], "0777");

  auto read = provider_.Read("local_file", {s});
  ASSERT_OK(read);
  EXPECT_TRUE((*read)[0].has_value());
  ASSERT_OK(fs_.WriteFileAtomic("/cfg/keys/id.pub", "changed"));
  read = provider_.Read("local_file", {s});
  ASSERT_OK(read);
  EXPECT_FALSE((*read)[0].has_value());  // changed outside: recreated

  // What a killed write left beside the file goes with it.
  ASSERT_OK(fs_.WriteFileAtomic("/cfg/keys/id.pub.tmp.4242", "half"));
  ASSERT_OK(provider_.Delete({"local_file", "local_file.t", "t"}, s));
  EXPECT_FALSE(fs_.Exists("/cfg/keys/id.pub"));
  EXPECT_FALSE(fs_.Exists("/cfg/keys/id.pub.tmp.4242"));
  EXPECT_THAT(provider_.Create({"local_file", "local_file.t", "t"},
                               {{"filename", "x"}, {"content", "a"}, {"content_base64", "YQ=="}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("exactly one of")));
  EXPECT_THAT(provider_.Create({"local_file", "local_file.t", "t"},
                               {{"filename", "x"}, {"content", "a"}, {"file_permission", "999"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("octal")));
}

TEST_F(LocalTypesTest, SensitiveFileGetsOwnerOnlyPermissionsByDefault) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("cf-local-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  RealFileSystem real;
  LocalTypesProvider p(real, dir.string(), PosixChmod);
  ASSERT_OK(p.Create({"local_sensitive_file", "local_sensitive_file.k", "t"},
                     {{"filename", "k.pem"}, {"content", "secret"}}));
  auto perms = std::filesystem::status(dir / "k.pem").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_all);
  std::filesystem::remove_all(dir);
}

TEST(CompositeProviderTest, RoutesToTheFirstProviderThatSupportsTheType) {
  InMemoryFileSystem fs;
  LocalTypesProvider local(fs, "/");
  CompositeProvider composite({&local});
  EXPECT_TRUE(composite.Supports("random_id"));
  EXPECT_FALSE(composite.Supports("aws_vpc"));
  EXPECT_EQ(composite.Pool("random_id"), "local");
  EXPECT_THAT(composite.Create({"aws_vpc", "aws_vpc.a", "t"}, Json::object()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"aws_vpc\"")));
  EXPECT_OK(composite.Create({"random_id", "random_id.a", "t"}, {{"byte_length", 4}}));
  EXPECT_FALSE(composite.Rules("random_id").force_new.empty());
}

}  // namespace
}  // namespace cf::provider
