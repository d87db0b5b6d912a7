# One INTERFACE target carries the project's warning flags; every signet target links it PRIVATE.
add_library(signet_warnings INTERFACE)
target_compile_options(signet_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wcast-qual
  -Wmissing-declarations -Woverloaded-virtual)
if(SIGNET_WERROR)
  target_compile_options(signet_warnings INTERFACE -Werror)
endif()
# GCC 12 reports false -Wrestrict warnings inside libstdc++'s std::string concatenation at -O2/-O3
# (GCC bug 105329, fixed in GCC 13). Debian 12's compiler is GCC 12, so the warning would make
# every optimised -Werror build fail on correct code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(signet_warnings INTERFACE -Wno-restrict)
endif()
