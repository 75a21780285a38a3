// Reads YAML into scenario structs by walking the field declarations of
// describe.hpp. Private to the scenario stage: nothing outside sim/scenario
// includes yaml-cpp.
#pragma once

#include "describe.hpp"
#include "diagnostic.hpp"
#include "source_map.hpp"
#include "suggest.hpp"
#include "units.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace outagesim::scenario {

/// What every visitor of one load shares.
struct LoadContext {
  SourceMap& sources;
  std::vector<Diagnostic>& diagnostics;
  double start_epoch_s = 0;
  bool start_known = false;
  /// List items read so far. YAML aliases let a small file name the same
  /// list many times over; this bounds the work.
  std::size_t items_read = 0;
  static constexpr std::size_t max_items = 5'000'000;

  void error(const std::string& path, std::string message) {
    // A value already reported before reading (an unknown ${param}) is not
    // reported again for what that left in it.
    if (sources.reported(path)) return;
    diagnostics.push_back(sources.at(path, std::move(message)));
  }
};

class YamlVisitor {
 public:
  YamlVisitor(LoadContext& context, YAML::Node map, std::string path)
      : context_(context), map_(std::move(map)), path_(std::move(path)) {}

  template <class T>
  void required(std::string_view key, T& value, std::string_view /*doc*/) {
    if (auto node = lookup(key, true)) read(*node, child(key), value);
  }
  template <class T>
  void optional(std::string_view key, T& value, std::string_view /*doc*/) {
    if (auto node = lookup(key, false)) read(*node, child(key), value);
  }
  void required(std::string_view key, double& value, Unit unit, std::string_view /*doc*/) {
    if (auto node = lookup(key, true)) read_quantity(*node, child(key), unit, value);
  }
  void optional(std::string_view key, double& value, Unit unit, std::string_view /*doc*/) {
    if (auto node = lookup(key, false)) read_quantity(*node, child(key), unit, value);
  }
  void optional(std::string_view key, std::optional<double>& value, Unit unit, std::string_view /*doc*/) {
    if (auto node = lookup(key, false)) {
      double v = 0;
      if (read_quantity(*node, child(key), unit, v)) value = v;
    }
  }
  void optional(std::string_view key, std::optional<Distribution>& value, Unit unit, std::string_view /*doc*/) {
    if (auto node = lookup(key, false)) {
      Distribution d;
      if (read_distribution(*node, child(key), unit, d)) value = d;
    }
  }
  void required_time(std::string_view key, TimeSpec& at, std::string_view /*doc*/) {
    if (auto node = lookup(key, true)) read_time(*node, child(key), at);
  }
  void optional_time(std::string_view key, std::optional<TimeSpec>& at, std::string_view /*doc*/) {
    if (auto node = lookup(key, false)) {
      TimeSpec t;
      if (read_time(*node, child(key), t)) at = t;
    }
  }
  void preprocessed(std::string_view key, std::string_view /*doc*/) { declared_.emplace_back(key); }
  void timestamp(std::string_view key, double& epoch_s, std::string_view /*doc*/) {
    auto node = lookup(key, true);
    if (!node) return;
    std::string path = child(key);
    auto parsed = node->IsScalar() ? parse_utc_timestamp(node->Scalar()) : std::nullopt;
    if (!parsed)
      return context_.error(path, node->IsScalar()
                                      ? utc_timestamp_error(node->Scalar())
                                      : std::string("expected an ISO-8601 UTC timestamp such as 2025-11-18T11:00:00Z"));
    epoch_s = *parsed;
    context_.start_epoch_s = *parsed;
    context_.start_known = true;
  }
  template <class Fn>
  void object(std::string_view key, std::string_view /*doc*/, Fn&& describe_fields) {
    auto node = lookup(key, true);
    if (!node) return;
    std::string path = child(key);
    if (!node->IsMap()) return context_.error(path, "expected a mapping of keys to values");
    YamlVisitor inner(context_, *node, path);
    describe_fields(inner);
    inner.finish();
  }

  /// Reads `key` as the name of one of `Kinds` (its static `kind`), then that
  /// kind's own keys from this same mapping. A key of another kind is
  /// reported as such; with no valid kind, no other key is judged.
  template <class... Kinds>
  void variant(std::string_view key, std::variant<Kinds...>& value, std::string_view noun, std::string_view /*doc*/) {
    auto node = lookup(key, true);
    const std::string text = node && node->IsScalar() ? node->Scalar() : std::string{};
    bool found = false;
    auto read_kind = [&]<class Kind>(Kind*) {
      if (found || text != Kind::kind) return;
      found = true;
      kind_keys_ = declared_keys<Kind>();
      if constexpr (requires { Kind::key_hints; })
        for (const auto& h : Kind::key_hints) key_hints_.emplace_back(h.key, h.hint);
      describe(*this, value.template emplace<Kind>());
    };
    (read_kind(static_cast<Kinds*>(nullptr)), ...);
    auto note_keys = [&]<class Kind>(Kind*) {
      for (auto& k : declared_keys<Kind>()) {
        if (!found) declared_.push_back(k);  // the kind is unknown: so is which keys belong
        else if (std::find(declared_.begin(), declared_.end(), k) == declared_.end())
          foreign_.push_back({k, std::string(Kind::kind)});
      }
    };
    (note_keys(static_cast<Kinds*>(nullptr)), ...);
    if (found) {
      kind_ = fmt::format("{} {} {}", article(text), text, noun);
      return;
    }
    if (!node) return;  // reported as missing
    std::vector<std::string> names{std::string(Kinds::kind)...};
    context_.error(child(key), fmt::format("expected one of: {}; got '{}'{}", fmt::join(names, ", "), text,
                                           did_you_mean(text, names)));
  }

  /// Reports keys of the map that no declaration asked for, duplicates, and
  /// missing required keys (except one an unknown key looks like a typo of:
  /// "unknown key 'rpss' (did you mean 'rps'?)" says it all).
  void finish() {
    std::vector<std::string> seen;
    std::vector<std::string> explained;
    for (const auto& pair : map_) {
      std::string key = pair.first.IsScalar() ? pair.first.Scalar() : std::string{};
      std::string path = child(key);
      context_.sources.record(path, pair.first.Mark().line + 1, pair.first.Mark().column + 1);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        context_.error(path, fmt::format("duplicate key '{}'", key));
        continue;
      }
      seen.push_back(key);
      if (std::find(declared_.begin(), declared_.end(), key) == declared_.end()) {
        std::vector<std::string> owners;
        for (const auto& [foreign, owner] : foreign_)
          if (foreign == key) owners.push_back(owner);
        if (!owners.empty()) {
          std::string hint;
          for (const auto& [hinted, text] : key_hints_)
            if (hinted == key) hint = "; " + text;
          context_.error(path, fmt::format("'{}' is not a key of {}; it belongs to {}{}", key, kind_,
                                           fmt::join(owners, ", "), hint));
          continue;
        }
        if (auto typo_of = closest_match(key, declared_)) explained.push_back(*typo_of);
        context_.error(path, fmt::format("unknown key '{}'{}; expected one of: {}", key, did_you_mean(key, declared_),
                                         fmt::join(declared_, ", ")));
      }
    }
    for (const auto& key : missing_) {
      if (std::find(explained.begin(), explained.end(), key) != explained.end()) continue;
      const bool of_kind = std::find(kind_keys_.begin(), kind_keys_.end(), key) != kind_keys_.end();
      context_.error(path_, of_kind ? fmt::format("missing required key '{}' of {}", key, kind_)
                                    : fmt::format("missing required key '{}'", key));
    }
  }

  // --- conversions, one per kind of value ---------------------------------

  void read(const YAML::Node& node, const std::string& path, std::string& out) {
    if (!node.IsScalar() || node.Scalar().empty()) return context_.error(path, "expected a non-empty string");
    out = node.Scalar();
  }

  void read(const YAML::Node& node, const std::string& path, int& out) {
    auto value = integer(node, path);
    if (!value) return;
    if (*value > max_integer)
      return context_.error(path, fmt::format("{} is too large (at most {})", *value, max_integer));
    out = static_cast<int>(*value);
  }

  void read(const YAML::Node& node, const std::string& path, std::uint64_t& out) {
    if (auto value = integer(node, path)) out = *value;
  }

  void read(const YAML::Node& node, const std::string& path, bool& out) {
    const std::string text = node.IsScalar() ? node.Scalar() : std::string{};
    if (text == "true") out = true;
    else if (text == "false") out = false;
    else context_.error(path, fmt::format("expected true or false, got '{}'", text));
  }

  template <class T>
  void read(const YAML::Node& node, const std::string& path, std::optional<T>& out) {
    T value{};
    const std::size_t before = context_.diagnostics.size();
    read(node, path, value);
    if (context_.diagnostics.size() == before) out = std::move(value);
  }

  template <class E>
    requires requires { EnumNames<E>::values; }
  void read(const YAML::Node& node, const std::string& path, E& out) {
    std::vector<std::string> names;
    for (const auto& [value, name] : EnumNames<E>::values) names.emplace_back(name);
    std::string text = node.IsScalar() ? node.Scalar() : std::string{};
    for (const auto& [value, name] : EnumNames<E>::values) {
      if (name == text) {
        out = value;
        return;
      }
    }
    context_.error(path, fmt::format("expected one of: {}; got '{}'{}", fmt::join(names, ", "), text,
                                     did_you_mean(text, names)));
  }

  template <class T>
    requires requires(YamlVisitor& v, T& t) { describe(v, t); }
  void read(const YAML::Node& node, const std::string& path, T& out) {
    if constexpr (requires { T::shorthand; }) {
      if (node.IsScalar()) {  // `rollout: global` is `rollout: {kind: global}`
        YAML::Node expanded(YAML::NodeType::Map);
        expanded[T::shorthand] = node;
        YamlVisitor inner(context_, expanded, path);
        describe(inner, out);
        inner.finish();
        return;
      }
    }
    if (!node.IsMap()) return context_.error(path, "expected a mapping of keys to values");
    YamlVisitor inner(context_, node, path);
    describe(inner, out);
    inner.finish();
  }

  template <class T>
  void read(const YAML::Node& node, const std::string& path, std::vector<T>& out) {
    if (node.IsNull()) return;  // "faults:" with nothing under it is an empty list
    if (!node.IsSequence()) return context_.error(path, "expected a list");
    context_.items_read += node.size();
    if (context_.items_read > LoadContext::max_items)
      return context_.error(path, fmt::format("the scenario holds more than {} list items (counting YAML aliases); "
                                              "it is too large",
                                              LoadContext::max_items));
    out.clear();
    for (std::size_t i = 0; i < node.size(); ++i) {
      std::string item_path = fmt::format("{}[{}]", path, i);
      context_.sources.record(item_path, node[i].Mark().line + 1, node[i].Mark().column + 1);
      T item{};
      read(node[i], item_path, item);
      out.push_back(std::move(item));
    }
  }

  void read(const YAML::Node& node, const std::string& path, std::vector<InstanceCount>& out) {
    if (!node.IsMap()) return context_.error(path, "expected a mapping of region to instance count, e.g. {na-east: 4}");
    out.clear();
    for (const auto& pair : node) {
      InstanceCount count;
      std::string key_path = fmt::format("{}.{}", path, pair.first.Scalar());
      if (std::any_of(out.begin(), out.end(), [&](const InstanceCount& c) { return c.region == pair.first.Scalar(); })) {
        context_.sources.record(key_path, pair.first.Mark().line + 1, pair.first.Mark().column + 1);
        context_.error(key_path, fmt::format("duplicate key '{}'", pair.first.Scalar()));
        continue;
      }
      context_.sources.record(key_path, pair.second.Mark().line + 1, pair.second.Mark().column + 1);
      count.region = pair.first.Scalar();
      read(pair.second, key_path, count.count);
      out.push_back(std::move(count));
    }
  }

  /// A bare quantity (fixed), or {dist: uniform|exp|lognormal, ...} with the
  /// parameters that kind needs, each in `unit`.
  bool read_distribution(const YAML::Node& node, const std::string& path, Unit unit, Distribution& out) {
    if (node.IsScalar()) {
      out.kind = DistributionKind::fixed;
      return read_quantity(node, path, unit, out.value);
    }
    if (!node.IsMap())
      return context_.error(path, fmt::format("expected {} or {{dist: ...}}", unit_example(unit))), false;
    const std::size_t before = context_.diagnostics.size();
    YamlVisitor inner(context_, node, path);
    inner.required("dist", out.kind, "");
    // With no valid kind, which parameters belong is unknown: report the kind alone.
    if (context_.diagnostics.size() != before) return false;
    switch (out.kind) {
      case DistributionKind::fixed: inner.required("value", out.value, unit, ""); break;
      case DistributionKind::uniform:
        inner.required("min", out.min, unit, "");
        inner.required("max", out.max, unit, "");
        break;
      case DistributionKind::exp: inner.required("mean", out.mean, unit, ""); break;
      case DistributionKind::lognormal:
        inner.required("median", out.median, unit, "");
        inner.required("p95", out.p95, unit, "");
        break;
    }
    inner.finish();
    // Ranges only once every parameter was read: defaults would mislead.
    if (context_.diagnostics.size() != before) return false;
    if (out.kind == DistributionKind::uniform && out.max < out.min) context_.error(path, "expected min <= max");
    if (out.kind == DistributionKind::exp && out.mean <= 0) context_.error(path, "expected a positive mean");
    if (out.kind == DistributionKind::lognormal && (out.median <= 0 || out.p95 <= out.median))
      context_.error(path, "expected 0 < median < p95");
    return context_.diagnostics.size() == before;
  }

  /// A time (+25m, 14:30Z, an ISO timestamp) or a distribution of offsets from start.
  bool read_time(const YAML::Node& node, const std::string& path, TimeSpec& out) {
    if (node.IsMap()) {
      Distribution d;
      if (!read_distribution(node, path, Unit::duration, d)) return false;
      out.draw = d;
      return true;
    }
    if (!node.IsScalar()) {
      context_.error(path, "expected a time such as +25m, 14:30Z or 2025-11-18T11:20:00Z, or {dist: ...}");
      return false;
    }
    if (!context_.start_known) return false;  // the missing start was reported already
    auto parsed = parse_sim_time(node.Scalar(), context_.start_epoch_s);
    if (!parsed.value) {
      context_.error(path, parsed.error);
      return false;
    }
    out.at_s = *parsed.value;
    return true;
  }

  bool read_quantity(const YAML::Node& node, const std::string& path, Unit unit, double& out) {
    if (!node.IsScalar()) {
      context_.error(path, fmt::format("expected {}", unit_example(unit)));
      return false;
    }
    auto parsed = parse_quantity(node.Scalar(), unit);
    if (!parsed.value) {
      context_.error(path, parsed.error);
      return false;
    }
    if (auto outside = range_error(unit, *parsed.value, node.Scalar()); !outside.empty()) {
      context_.error(path, std::move(outside));
      return false;
    }
    out = *parsed.value;
    return true;
  }

 private:
  std::string child(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }

  static std::string_view article(std::string_view word) {
    return !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos ? "an" : "a";
  }

  std::optional<YAML::Node> lookup(std::string_view key, bool is_required) {
    declared_.emplace_back(key);
    std::string path = child(key);
    for (const auto& pair : map_) {
      if (pair.first.IsScalar() && pair.first.Scalar() == key) {
        context_.sources.record(path, pair.second.Mark().line + 1, pair.second.Mark().column + 1);
        return pair.second;
      }
    }
    if (is_required) missing_.emplace_back(key);
    return std::nullopt;
  }

  std::optional<std::uint64_t> integer(const YAML::Node& node, const std::string& path) {
    std::uint64_t value = 0;
    if (node.IsScalar()) {
      const std::string& s = node.Scalar();
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
      if (ec == std::errc{} && ptr == s.data() + s.size()) return value;
    }
    context_.error(path, fmt::format("expected a non-negative integer, got '{}'",
                                     node.IsScalar() ? node.Scalar() : std::string("a non-scalar")));
    return std::nullopt;
  }

  LoadContext& context_;
  YAML::Node map_;
  std::string path_;
  std::vector<std::string> declared_;
  std::vector<std::string> missing_;
  /// Keys of the other kinds of a variant read here, and the kind each belongs to.
  std::vector<std::pair<std::string, std::string>> foreign_;
  std::string kind_;  ///< "a crash fault": what the variant read here holds
  std::vector<std::string> kind_keys_;  ///< the keys that kind declares
  std::vector<std::pair<std::string, std::string>> key_hints_;  ///< that kind's key_hints: key, what to write instead
};

}  // namespace outagesim::scenario
