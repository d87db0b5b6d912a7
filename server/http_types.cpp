#include "server/http_types.hpp"

#include <utility>

#include <boost/beast/core/string.hpp>

namespace signet::server {

Response MakeResponse(const Request& request, http::status status, std::string_view content_type,
                      std::string body) {
  Response response{status, request.version()};
  response.set(http::field::server, "signet");
  if (!content_type.empty()) response.set(http::field::content_type, content_type);
  response.body() = std::move(body);
  return response;
}

Response JsonResponse(const Request& request, http::status status, std::string body) {
  return MakeResponse(request, status, "application/json", std::move(body));
}

Response JsonErrorResponse(const Request& request, http::status status, std::string_view error,
                           std::string_view description) {
  std::string body = R"({"error":")";
  body.append(error);
  body.append(R"(","error_description":")");
  body.append(description);
  body.append(R"("})");
  return JsonResponse(request, status, std::move(body));
}

std::string_view TargetPath(std::string_view target) noexcept {
  const auto end = target.find_first_of("?#");
  return end == std::string_view::npos ? target : target.substr(0, end);
}

std::string_view TargetQuery(std::string_view target) noexcept {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return {};
  const std::string_view query = target.substr(question + 1);
  return query.substr(0, query.find('#'));
}

bool IsFormUrlEncoded(std::string_view content_type) noexcept {
  const auto trim = [](std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
  };
  return boost::beast::iequals(trim(content_type.substr(0, content_type.find(';'))),
                               "application/x-www-form-urlencoded");
}

std::string_view HeaderValue(const Request& request, http::field field) {
  const auto it = request.find(field);
  if (it == request.end()) return {};
  return {it->value().data(), it->value().size()};
}

}  // namespace signet::server
