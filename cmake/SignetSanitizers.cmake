# SIGNET_SANITIZE="address;undefined" builds everything with ASan + UBSan.
# Applied globally so that tests, libraries and the binary agree on the runtime.
if(SIGNET_SANITIZE)
  set(_signet_san_flags "")
  foreach(san IN LISTS SIGNET_SANITIZE)
    if(NOT san MATCHES "^(address|undefined|leak|thread)$")
      message(FATAL_ERROR "SIGNET_SANITIZE: unknown sanitizer '${san}'")
    endif()
    list(APPEND _signet_san_flags "-fsanitize=${san}")
  endforeach()
  list(APPEND _signet_san_flags -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options(${_signet_san_flags})
  add_link_options(${_signet_san_flags})
endif()
