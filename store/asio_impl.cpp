// Compiles Boost.Asio (and its TLS layer) once for the whole program
// (BOOST_ASIO_SEPARATE_COMPILATION; Beast test/lib_asio.cpp).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
