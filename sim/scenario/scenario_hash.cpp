#include "scenario_hash.hpp"

#include "loader.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include <fmt/format.h>

namespace outagesim::scenario {
namespace {

/// One SHA-256 over pieces of text, fed in order.
class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("OpenSSL cannot start a SHA-256 digest");
  }

  void add(std::string_view bytes) {
    if (EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()) != 1)
      throw std::runtime_error("OpenSSL cannot update a SHA-256 digest");
  }

  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest, &length) != 1)
      throw std::runtime_error("OpenSSL cannot finish a SHA-256 digest");
    std::string text;
    for (unsigned int i = 0; i < length; ++i) text += fmt::format("{:02x}", digest[i]);
    return text;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
};

}  // namespace

std::string scenario_hash(const std::string& text, const std::vector<std::string>& templates,
                          const std::vector<Override>& overrides) {
  Sha256 sha;
  sha.add(text);
  for (const auto& t : templates) {
    sha.add("\n--use\n");
    sha.add(t);
  }
  for (const auto& o : overrides) sha.add(fmt::format("\n--set {}={}", o.path, o.value));
  return sha.hex();
}

std::string sha256_hex(const std::string& bytes) { return scenario_hash(bytes, {}, {}); }

}  // namespace outagesim::scenario
