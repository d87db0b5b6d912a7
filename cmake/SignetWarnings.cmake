# One INTERFACE target carries the project's warning flags; every signet target links it PRIVATE.
add_library(signet_warnings INTERFACE)
target_compile_options(signet_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wcast-qual
  -Wmissing-declarations -Woverloaded-virtual)
if(SIGNET_WERROR)
  target_compile_options(signet_warnings INTERFACE -Werror)
endif()
