// libFuzzer target: arbitrary bytes as a config file. LoadConfigText must never crash,
// never throw (yaml-cpp exceptions are caught inside the loader) and always return either a
// Config or at least one problem. Seeds: tests/fuzz/corpus/config_load/.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = signet::config::LoadConfigText(text, "fuzz.yaml");
  if (!loaded && loaded.error().problems.empty()) std::abort();  // an error must say why
  if (!loaded) {
    // Formatting must cope with whatever the document contained.
    (void)loaded.error().Format();
  }
  return 0;
}
