# All dependencies come from Debian 12 packages (see scripts/install-deps.sh).
find_package(OpenSSL 3.0 REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED COMPONENTS url system)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
find_package(Threads REQUIRED)
if(SIGNET_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(SIGNET_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# Helper: declare a signet module library with the repo root on its include path.
#   signet_module(NAME keys SOURCES a.cpp b.cpp DEPS PUBLIC ... PRIVATE ...)
function(signet_module)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(signet_${ARG_NAME} STATIC ${ARG_SOURCES})
  add_library(signet::${ARG_NAME} ALIAS signet_${ARG_NAME})
  target_include_directories(signet_${ARG_NAME} PUBLIC "${SIGNET_SOURCE_ROOT}")
  target_link_libraries(signet_${ARG_NAME} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE signet_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# Helper: a GoogleTest binary registered with CTest.
#   signet_test(NAME keys_test SOURCES ... DEPS ...)
function(signet_test)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_include_directories(${ARG_NAME} PRIVATE "${SIGNET_SOURCE_ROOT}")
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock signet_warnings)
  target_compile_definitions(${ARG_NAME} PRIVATE
    SIGNET_SOURCE_DIR="${SIGNET_SOURCE_ROOT}"
    SIGNET_VECTORS_DIR="${SIGNET_SOURCE_ROOT}/tests/vectors"
    SIGNET_WYCHEPROOF_DIR="${SIGNET_SOURCE_ROOT}/tests/vectors/wycheproof")
  gtest_discover_tests(${ARG_NAME} TEST_PREFIX "${ARG_NAME}." DISCOVERY_TIMEOUT 60)
endfunction()
