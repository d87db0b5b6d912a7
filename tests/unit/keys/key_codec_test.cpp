#include "keys/key_codec.hpp"

#include <gtest/gtest.h>

#include "keys/base64url.hpp"
#include "keys/internal/key_file_format.hpp"
#include "keys/jwk_thumbprint.hpp"
#include "tests/unit/keys/test_keys.hpp"

namespace signet::keys {
namespace {

using std::chrono::hours;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'800'000'000));

StoredKey MakeStored(Algorithm alg) {
  const PrivateKey& key = testing::CachedKey(alg);
  auto members = ExportPublicMembers(key.public_key());
  EXPECT_TRUE(members);
  return StoredKey{KeyMetadata{Rfc7638Thumbprint(*members), alg, kNow, kNow + hours(1),
                               kNow + hours(25), kNow + hours(26)},
                   key};
}

Kek MakeKek(char fill) { return *Kek::FromBytes(std::string(32, fill)); }

void ExpectSameKey(const StoredKey& a, const StoredKey& b) {
  EXPECT_EQ(a.metadata.kid, b.metadata.kid);
  EXPECT_EQ(a.metadata.alg, b.metadata.alg);
  EXPECT_EQ(a.metadata.created, b.metadata.created);
  EXPECT_EQ(a.metadata.activates, b.metadata.activates);
  EXPECT_EQ(a.metadata.retires, b.metadata.retires);
  EXPECT_EQ(a.metadata.expires, b.metadata.expires);
  EXPECT_EQ(*a.key.ToPem(), *b.key.ToPem());
}

// Replaces the value of the line "name: ..." in `text`.
std::string WithLine(std::string text, const std::string& name, const std::string& value) {
  const size_t at = text.find("\n" + name + ": ");
  EXPECT_NE(at, std::string::npos) << name;
  const size_t start = at + name.size() + 3;
  const size_t end = text.find('\n', start);
  return text.replace(start, end - start, value);
}

class KeyCodecTest : public ::testing::TestWithParam<Algorithm> {};

TEST_P(KeyCodecTest, ClearText_RoundTripsAndHoldsThePem) {
  const StoredKey stored = MakeStored(GetParam());
  auto text = EncodeStoredKey(stored, nullptr);
  ASSERT_TRUE(text) << text.error().message();
  EXPECT_NE(text->find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_NE(text->find("retires: "), std::string::npos);
  DecodeDetail detail;
  auto decoded = DecodeStoredKey(*text, nullptr, &detail);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_TRUE(detail.stored_in_clear);
  ExpectSameKey(stored, *decoded);
}

TEST_P(KeyCodecTest, Encrypted_RoundTripsWithoutClearPem) {
  const StoredKey stored = MakeStored(GetParam());
  const Kek kek = MakeKek('\x11');
  auto text = EncodeStoredKey(stored, &kek);
  ASSERT_TRUE(text) << text.error().message();
  EXPECT_EQ(text->find("PRIVATE KEY"), std::string::npos);
  EXPECT_NE(text->find("kek-id: " + kek.id() + "\n"), std::string::npos);
  DecodeDetail detail;
  auto decoded = DecodeStoredKey(*text, &kek, &detail);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_FALSE(detail.stored_in_clear);
  ExpectSameKey(stored, *decoded);
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, KeyCodecTest, ::testing::ValuesIn(AllAlgorithms()),
                         testing::AlgName);

TEST(KeyCodec, Encode_RejectsKidThatIsNotTheThumbprint) {
  StoredKey stored = MakeStored(Algorithm::kEs256);
  stored.metadata.kid = "not-the-thumbprint";
  auto text = EncodeStoredKey(stored, nullptr);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error(), Errc::kKeyFileInvalid);
}

TEST(KeyCodec, Decode_EncryptedWithoutKek_IsKekMissing) {
  const Kek kek = MakeKek('\x11');
  auto text = EncodeStoredKey(MakeStored(Algorithm::kEs256), &kek);
  ASSERT_TRUE(text);
  DecodeDetail detail;
  auto decoded = DecodeStoredKey(*text, nullptr, &detail);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error(), Errc::kKekMissing);
  EXPECT_NE(detail.message.find(kek.id()), std::string::npos) << detail.message;
}

TEST(KeyCodec, Decode_WithAnotherKek_IsKekMismatchNamingBothIds) {
  const Kek kek = MakeKek('\x11');
  const Kek other = MakeKek('\x22');
  const StoredKey stored = MakeStored(Algorithm::kEs256);
  auto text = EncodeStoredKey(stored, &kek);
  ASSERT_TRUE(text);
  DecodeDetail detail;
  auto decoded = DecodeStoredKey(*text, &other, &detail);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error(), Errc::kKekMismatch);
  EXPECT_EQ(detail.message, "key " + stored.metadata.kid + " was encrypted with KEK id " +
                                kek.id() + ", the configured KEK has id " + other.id());
}

TEST(KeyCodec, Decode_ClearTextWithKek_LoadsAndAsksForRewrite) {
  auto text = EncodeStoredKey(MakeStored(Algorithm::kEdDsa), nullptr);
  ASSERT_TRUE(text);
  const Kek kek = MakeKek('\x11');
  DecodeDetail detail;
  auto decoded = DecodeStoredKey(*text, &kek, &detail);
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(detail.stored_in_clear);
}

TEST(KeyCodec, Decode_RejectsTamperedCiphertextTagAndNonce) {
  const Kek kek = MakeKek('\x11');
  auto text = EncodeStoredKey(MakeStored(Algorithm::kEs256), &kek);
  ASSERT_TRUE(text);
  const size_t at = text->find("encrypted-key: ") + 15;
  const size_t end = text->find('\n', at);
  auto blob = Base64UrlDecode(std::string_view(*text).substr(at, end - at));
  ASSERT_TRUE(blob);
  for (size_t i : {size_t{0}, kGcmNonceSize, blob->size() / 2, blob->size() - 1}) {
    std::string tampered = *blob;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    const std::string bad = WithLine(*text, "encrypted-key", Base64UrlEncode(tampered));
    auto decoded = DecodeStoredKey(bad, &kek);
    ASSERT_FALSE(decoded) << i;
    EXPECT_EQ(decoded.error(), Errc::kDecryptFailed);
  }
  auto garbage = DecodeStoredKey(WithLine(*text, "encrypted-key", "!!"), &kek);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error(), Errc::kDecryptFailed);
}

TEST(KeyCodec, Decode_BlobMovedToAnotherKid_FailsAuthentication) {
  const Kek kek = MakeKek('\x11');
  const StoredKey a = MakeStored(Algorithm::kEs256);
  const StoredKey b = MakeStored(Algorithm::kEdDsa);
  auto text_a = EncodeStoredKey(a, &kek);
  auto text_b = EncodeStoredKey(b, &kek);
  ASSERT_TRUE(text_a && text_b);
  const size_t at = text_a->find("encrypted-key: ") + 15;
  const std::string blob_a = text_a->substr(at, text_a->find('\n', at) - at);
  auto moved = DecodeStoredKey(WithLine(*text_b, "encrypted-key", blob_a), &kek);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error(), Errc::kDecryptFailed);
  // Same blob, kid line rewritten: the associated data differs.
  auto renamed = DecodeStoredKey(WithLine(*text_a, "kid", b.metadata.kid), &kek);
  ASSERT_FALSE(renamed);
  EXPECT_EQ(renamed.error(), Errc::kDecryptFailed);
}

TEST(KeyCodec, Decode_ChangedKekIdLine_IsKekMismatch) {
  const Kek kek = MakeKek('\x11');
  auto text = EncodeStoredKey(MakeStored(Algorithm::kEs256), &kek);
  ASSERT_TRUE(text);
  auto decoded = DecodeStoredKey(WithLine(*text, "kek-id", "AAAAAAAAAAAAAAAA"), &kek);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error(), Errc::kKekMismatch);
}

TEST(KeyCodec, Decode_RejectsClearPemNextToEncryptedKey) {
  const Kek kek = MakeKek('\x11');
  const StoredKey stored = MakeStored(Algorithm::kEs256);
  auto text = EncodeStoredKey(stored, &kek);
  ASSERT_TRUE(text);
  auto decoded = DecodeStoredKey(*text + *stored.key.ToPem(), &kek);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error(), Errc::kKeyFileInvalid);
}

TEST(KeyCodec, Decode_RejectsTimesOutOfOrderAndUnknownLines) {
  auto text = EncodeStoredKey(MakeStored(Algorithm::kEs256), nullptr);
  ASSERT_TRUE(text);
  const std::string bad_cases[] = {
      WithLine(*text, "retires", internal::FormatUtc(kNow)),  // before activates
      WithLine(*text, "expires", internal::FormatUtc(kNow)),  // before retires
      WithLine(*text, "alg", "HS256"),
      WithLine(*text, "created", "2026-13-01T00:00:00Z"),
      "signet-key: 1\nfoo: bar\n" + text->substr(text->find("kid:")),
      text->substr(0, text->find("-----BEGIN")),  // no key at all
  };
  for (const std::string& bad : bad_cases) {
    auto decoded = DecodeStoredKey(bad, nullptr);
    ASSERT_FALSE(decoded) << bad.substr(0, 200);
    EXPECT_EQ(decoded.error(), Errc::kKeyFileInvalid);
  }
}

TEST(KeyCodec, Decode_LegacyFileWithStateAndNoRetires_DerivesRetiresFromExpires) {
  const StoredKey stored = MakeStored(Algorithm::kEs256);
  const std::string legacy = "signet-key: 1\nkid: " + stored.metadata.kid +
                             "\nalg: ES256\nstate: active\ncreated: " + internal::FormatUtc(kNow) +
                             "\nactivates: " + internal::FormatUtc(kNow) +
                             "\nexpires: " + internal::FormatUtc(kNow + hours(24)) + "\n" +
                             *stored.key.ToPem();
  auto decoded = DecodeStoredKey(legacy, nullptr);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded->metadata.retires, kNow + hours(24));
  EXPECT_EQ(decoded->metadata.expires, kUnknownExpiry);
  EXPECT_EQ(internal::FormatUtc(kUnknownExpiry), "2200-01-01T00:00:00Z");
  auto metadata = DecodeStoredKeyMetadata(legacy);
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->kid, stored.metadata.kid);
}

TEST(KeyCodec, DecodeMetadata_NeedsNoKek) {
  const Kek kek = MakeKek('\x11');
  const StoredKey stored = MakeStored(Algorithm::kEs256);
  auto text = EncodeStoredKey(stored, &kek);
  ASSERT_TRUE(text);
  auto metadata = DecodeStoredKeyMetadata(*text);
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->retires, stored.metadata.retires);
}

}  // namespace
}  // namespace signet::keys
