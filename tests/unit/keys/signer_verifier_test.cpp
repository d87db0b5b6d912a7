#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "keys/signer.hpp"
#include "keys/verifier.hpp"
#include "tests/unit/keys/test_keys.hpp"

namespace signet::keys {
namespace {

using testing::AlgName;
using testing::CachedKey;

constexpr std::string_view kInput = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9";

size_t ExpectedSignatureSize(Algorithm alg) {
  switch (alg) {
    case Algorithm::kRs256:
    case Algorithm::kPs256: return 256;  // 2048-bit modulus
    case Algorithm::kEs256: return 64;
    case Algorithm::kEs384: return 96;
    case Algorithm::kEdDsa: return 64;
  }
  return 0;
}

// Another algorithm whose key type is the same where one exists (RS256 <-> PS256).
Algorithm Sibling(Algorithm alg) {
  switch (alg) {
    case Algorithm::kRs256: return Algorithm::kPs256;
    case Algorithm::kPs256: return Algorithm::kRs256;
    case Algorithm::kEs256: return Algorithm::kEs384;
    case Algorithm::kEs384: return Algorithm::kEs256;
    case Algorithm::kEdDsa: return Algorithm::kEs256;
  }
  return alg;
}

class SignVerifyTest : public ::testing::TestWithParam<Algorithm> {
 protected:
  Signer MakeSigner() {
    auto signer = Signer::Create(CachedKey(GetParam()), "kid-1");
    EXPECT_TRUE(signer);
    return std::move(*signer);
  }
  Verifier MakeVerifier(Algorithm alg) {
    auto verifier = Verifier::Create(CachedKey(alg).public_key(), "kid-1");
    EXPECT_TRUE(verifier);
    return std::move(*verifier);
  }
};

TEST_P(SignVerifyTest, Sign_ProducesFixedLengthSignatureThatVerifies) {
  const Signer signer = MakeSigner();
  auto sig = signer.Sign(kInput);
  ASSERT_TRUE(sig) << sig.error().message();
  EXPECT_EQ(sig->size(), ExpectedSignatureSize(GetParam()));
  const Verifier verifier = MakeVerifier(GetParam());
  EXPECT_TRUE(verifier.Verify(kInput, *sig));
  EXPECT_EQ(signer.kid(), "kid-1");
  EXPECT_EQ(signer.algorithm(), GetParam());
}

TEST_P(SignVerifyTest, Verify_RejectsModifiedInput) {
  auto sig = MakeSigner().Sign(kInput);
  ASSERT_TRUE(sig);
  auto result =
      MakeVerifier(GetParam()).Verify("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0", *sig);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), Errc::kSignatureInvalid);
  EXPECT_EQ(ERR_peek_error(), 0u) << "a failed verification must leave no OpenSSL error queued";
}

TEST_P(SignVerifyTest, Verify_RejectsEveryBitFlip) {
  auto sig = MakeSigner().Sign(kInput);
  ASSERT_TRUE(sig);
  const Verifier verifier = MakeVerifier(GetParam());
  for (size_t bit = 0; bit < sig->size() * 8; bit += 7) {
    std::string bad = *sig;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(verifier.Verify(kInput, bad)) << "bit " << bit;
  }
}

TEST_P(SignVerifyTest, Verify_RejectsTruncatedAndExtendedSignature) {
  auto sig = MakeSigner().Sign(kInput);
  ASSERT_TRUE(sig);
  const Verifier verifier = MakeVerifier(GetParam());
  auto truncated = verifier.Verify(kInput, sig->substr(0, sig->size() - 1));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error(), Errc::kSignatureWrongLength);
  auto extended = verifier.Verify(kInput, *sig + '\0');
  ASSERT_FALSE(extended);
  EXPECT_EQ(extended.error(), Errc::kSignatureWrongLength);
  auto empty = verifier.Verify(kInput, "");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error(), Errc::kSignatureWrongLength);
}

TEST_P(SignVerifyTest, Verify_RejectsSignatureOfAnotherKeyOfTheSameAlgorithm) {
  auto other = PrivateKey::Generate(GetParam());
  ASSERT_TRUE(other);
  auto other_signer = Signer::Create(std::move(*other), "kid-2");
  ASSERT_TRUE(other_signer);
  auto sig = other_signer->Sign(kInput);
  ASSERT_TRUE(sig);
  auto result = MakeVerifier(GetParam()).Verify(kInput, *sig);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), Errc::kSignatureInvalid);
}

TEST_P(SignVerifyTest, Verify_RejectsSignatureMadeWithAnotherAlgorithm) {
  const Algorithm other = Sibling(GetParam());
  auto signer = Signer::Create(CachedKey(other), "kid-2");
  ASSERT_TRUE(signer);
  auto sig = signer->Sign(kInput);
  ASSERT_TRUE(sig);
  EXPECT_FALSE(MakeVerifier(GetParam()).Verify(kInput, *sig));
}

TEST_P(SignVerifyTest, Sign_IsSafeFromManyThreads) {
  const Signer signer = MakeSigner();
  const Verifier verifier = MakeVerifier(GetParam());
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string input =
            std::string(kInput) + std::to_string(t * 100 + static_cast<size_t>(i));
        auto sig = signer.Sign(input);
        if (!sig || !verifier.Verify(input, *sig)) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, SignVerifyTest,
                         ::testing::ValuesIn(AllAlgorithms().begin(), AllAlgorithms().end()),
                         AlgName);

TEST(Signer, Rs256_IsDeterministic) {
  // RSASSA-PKCS1-v1_5 has no randomness (RFC 8017 §8.2): same input, same signature.
  auto signer = Signer::Create(CachedKey(Algorithm::kRs256), "k");
  ASSERT_TRUE(signer);
  EXPECT_EQ(*signer->Sign(kInput), *signer->Sign(kInput));
}

TEST(Signer, Ps256_UsesRandomSalt) {
  auto signer = Signer::Create(CachedKey(Algorithm::kPs256), "k");
  ASSERT_TRUE(signer);
  EXPECT_NE(*signer->Sign(kInput), *signer->Sign(kInput));
}

}  // namespace
}  // namespace signet::keys
