#include "shard.hpp"

#include "shard_merge.hpp"

#include "sim/metrics/atomic_file.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::experiment {
namespace fs = std::filesystem;

std::string Shard::name() const { return fmt::format("{}/{}", index, count); }

std::optional<Shard> parse_shard(std::string_view text, std::string& error) {
  const auto slash = text.find('/');
  auto number = [](std::string_view digits, std::size_t& value) {
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return !digits.empty() && ec == std::errc() && end == digits.data() + digits.size();
  };
  Shard shard;
  if (slash == std::string_view::npos || !number(text.substr(0, slash), shard.index) ||
      !number(text.substr(slash + 1), shard.count)) {
    error = fmt::format("'{}' is not I/N: expected two whole numbers such as 0/4", text);
    return std::nullopt;
  }
  if (shard.count == 0 || shard.index >= shard.count) {
    error = fmt::format("'{}': shards are numbered 0 to N-1, so 0 <= I < N", text);
    return std::nullopt;
  }
  return shard;
}

void write_shard_info(const fs::path& dir, const ShardInfo& info) {
  nlohmann::ordered_json j;
  j["shard"] = info.shard.name();
  j["rule"] = "runs the ids with id % N == I";
  j["spec_file"] = info.spec_file;
  j["spec_hash"] = info.spec_hash;
  j["outagesim_version"] = info.outagesim_version;
  j["runs"] = info.runs;
  metrics::AtomicFile file(dir / shard_file);
  file.stream() << j.dump(2) << '\n';
  file.commit();
}

ShardInfo read_shard_info(const fs::path& dir) {
  const fs::path path = dir / shard_file;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ShardError(fmt::format("{}: not a shard directory (no {}; shards are made by outagesim sweep SPEC "
                                 "--shard I/N --out DIR)",
                                 dir.string(), shard_file));
  std::stringstream text;
  text << in.rdbuf();
  const auto j = nlohmann::json::parse(text.str(), nullptr, false);
  try {
    if (j.is_discarded()) throw std::invalid_argument("not JSON");
    ShardInfo info;
    std::string error;
    const auto shard = parse_shard(j.at("shard").get<std::string>(), error);
    if (!shard) throw std::invalid_argument(error);
    info.shard = *shard;
    info.spec_file = j.at("spec_file").get<std::string>();
    info.spec_hash = j.at("spec_hash").get<std::string>();
    info.outagesim_version = j.at("outagesim_version").get<std::string>();
    info.runs = j.at("runs").get<std::size_t>();
    return info;
  } catch (const std::exception& e) {
    throw ShardError(fmt::format("{}: not a shard.json outagesim wrote ({})", path.string(), e.what()));
  }
}

}  // namespace outagesim::experiment
