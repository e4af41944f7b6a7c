#include "base/crypto.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

#include "base/strings.h"
#include "testing/status_matchers.h"

namespace cf {
namespace {

std::string Unhex(std::string_view hex) {
  return HexDecode(hex).value();
}

TEST(CryptoTest, DigestsMatchTheirStandardVectors) {
  EXPECT_EQ(HexEncode(Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexEncode(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(HexEncode(Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha512("abc")),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(CryptoTest, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A key longer than the block is hashed first.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(CryptoTest, HmacSha1MatchesRfc2202) {
  EXPECT_EQ(HexEncode(HmacSha1(std::string(20, '\x0b'), "Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(HexEncode(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(HexEncode(HmacSha1(std::string(80, '\xaa'),
                               "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(CryptoTest, DigestsAgreeAcrossThreads) {
  std::string expected = Sha256Hex("thread");
  std::vector<std::thread> threads;
  std::vector<std::string> seen(4);
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&seen, i] {
      for (int k = 0; k < 1000; ++k) {
        seen[i] = Sha256Hex("thread");
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  for (const std::string& s : seen) {
    EXPECT_EQ(s, expected);
  }
}

TEST(CryptoTest, ConstantTimeEqualsComparesContentsAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(CryptoTest, RandomBytesAreFreshEachTime) {
  Result<std::string> a = RandomBytes(32);
  Result<std::string> b = RandomBytes(32);
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(RandomBytes(0).value(), "");
}

TEST(CryptoTest, AesGcmMatchesTheGcmSpecTestCase16) {
  std::string key = Unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  std::string iv = Unhex("cafebabefacedbaddecaf888");
  std::string aad = Unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  std::string plaintext = Unhex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  Result<std::string> sealed = AesGcmSeal(key, iv, plaintext, aad);
  ASSERT_OK(sealed);
  EXPECT_EQ(HexEncode(*sealed),
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
            "76fc6ece0f4e1768cddf8853bb2d551b");
  EXPECT_EQ(AesGcmOpen(key, iv, *sealed, aad), plaintext);
}

TEST(CryptoTest, AesGcmOpenRefusesAnythingTampered) {
  std::string key(32, 'k');
  std::string iv(12, 'i');
  Result<std::string> sealed = AesGcmSeal(key, iv, "attack at dawn", "aad");
  ASSERT_OK(sealed);
  EXPECT_EQ(sealed->size(), 14u + kGcmTagBytes);
  EXPECT_EQ(AesGcmOpen(key, iv, *sealed, "aad"), "attack at dawn");
  EXPECT_FALSE(AesGcmOpen(std::string(32, 'x'), iv, *sealed, "aad"));
  EXPECT_FALSE(AesGcmOpen(key, std::string(12, 'j'), *sealed, "aad"));
  EXPECT_FALSE(AesGcmOpen(key, iv, *sealed, "other"));
  std::string tampered = *sealed;
  tampered[0] ^= 1;
  EXPECT_FALSE(AesGcmOpen(key, iv, tampered, "aad"));
  EXPECT_FALSE(AesGcmOpen(key, iv, "short", "aad"));
  EXPECT_EQ(AesGcmOpen(key, iv, AesGcmSeal(key, iv, "", "").value(), ""), "");
  EXPECT_THAT(AesGcmSeal("short key", iv, "x", ""),
              StatusIs(StatusCode::kInternal, ::testing::HasSubstr("key or IV size")));
}

TEST(CryptoTest, AesGcmEncryptCarriesAFreshIv) {
  std::string key(32, 'k');
  Result<std::string> a = AesGcmEncrypt(key, "secret", "state/v1");
  Result<std::string> b = AesGcmEncrypt(key, "secret", "state/v1");
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->size(), kGcmIvBytes + 6 + kGcmTagBytes);
  EXPECT_NE(*a, *b);  // a new IV each time
  EXPECT_EQ(AesGcmDecrypt(key, *a, "state/v1"), "secret");
  EXPECT_EQ(AesGcmDecrypt(key, *b, "state/v1"), "secret");
  EXPECT_FALSE(AesGcmDecrypt(key, *a, "state/v2"));
  EXPECT_FALSE(AesGcmDecrypt(key, a->substr(0, kGcmIvBytes + kGcmTagBytes - 1), "state/v1"));
}

TEST(CryptoTest, GeneratesRsaAndEd25519Keys) {
  Result<GeneratedKey> rsa = GenerateKey(KeyType::kRsa2048);
  ASSERT_OK(rsa);
  EXPECT_EQ(rsa->private_pem.rfind("-----BEGIN RSA PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(rsa->rsa_modulus.size(), 256u);
  EXPECT_EQ(HexEncode(rsa->rsa_exponent), "010001");
  EXPECT_FALSE(rsa->private_pkcs8_der.empty());
  Result<std::string> der = RsaPublicKeyDer(rsa->rsa_modulus, rsa->rsa_exponent);
  ASSERT_OK(der);
  EXPECT_EQ(static_cast<unsigned char>((*der)[0]), 0x30);  // a DER SEQUENCE
  EXPECT_NE(der->find(rsa->rsa_modulus), std::string::npos);

  Result<GeneratedKey> ed = GenerateKey(KeyType::kEd25519);
  ASSERT_OK(ed);
  EXPECT_EQ(ed->private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(ed->ed25519_public.size(), 32u);
  EXPECT_NE(GenerateKey(KeyType::kEd25519)->ed25519_public, ed->ed25519_public);
}

}  // namespace
}  // namespace cf
