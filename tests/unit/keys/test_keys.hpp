#pragma once
// Shared helpers for keys_test: keys are generated once per algorithm and process
// (RSA generation is slow), never committed (House style 24).

#include <string>

#include <gtest/gtest.h>

#include "keys/algorithm.hpp"
#include "keys/private_key.hpp"

namespace signet::keys::testing {

// A fresh key per algorithm, cached for the process. RSA keys are 2048 bits.
const PrivateKey& CachedKey(Algorithm alg);

// "RS256" etc., for TEST_P names.
std::string AlgName(const ::testing::TestParamInfo<Algorithm>& info);

}  // namespace signet::keys::testing
