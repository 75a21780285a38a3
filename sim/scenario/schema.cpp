// The JSON Schema, written by walking describe.hpp with a SchemaVisitor, as
// the reference is. Unit patterns mirror units.cpp; where a regex cannot
// follow the loader (a duration whose parts sum to a positive value although
// one is negative, 31 February) the schema errs, and the loader still decides.
#include "schema.hpp"

#include "describe.hpp"
#include "sweep_spec.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::scenario {
namespace {

using Json = nlohmann::ordered_json;

/// The key that makes compose.cpp complete a provider entry from a template
/// before it is read: such an entry may leave out anything the template gives.
constexpr std::string_view template_key = "use";

// --- patterns: what units.cpp accepts, as ECMAScript regexes ------------------

/// What std::from_chars reads as a finite double, without a sign.
constexpr std::string_view number_re = R"((?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)";

std::string duration_re() { return "0|(?:" + std::string(number_re) + "(?:ms|min|s|m|h|d))+"; }

std::string suffixed_re(std::string_view suffixes) {
  return R"(\+?)" + std::string(number_re) + R"([ \t]*(?:)" + std::string(suffixes) + ")";
}

/// A fraction in [0, 1], as a percentage or a bare number (without exponent).
std::string fraction_re() {
  const std::string percent = R"((?:0*(?:100(?:\.0*)?|[0-9]{1,2}(?:\.[0-9]*)?)|\.[0-9]+)[ \t]*%)";
  const std::string unit_interval = R"(0*1(?:\.0*)?|0+(?:\.[0-9]*)?|0*\.[0-9]+)";
  return R"(\+?(?:)" + percent + "|" + unit_interval + ")";
}

std::string unit_re(Unit unit) {
  switch (unit_grammar(unit)) {
    case Unit::none: return R"(\+?-?)" + std::string(number_re);
    case Unit::duration: return duration_re();
    case Unit::size: return suffixed_re("B|KB|MB|GB|KiB|MiB|GiB");
    case Unit::bandwidth: return suffixed_re("bps|kbps|Kbps|Mbps|Gbps|Tbps|B/s|KB/s|MB/s|GB/s");
    case Unit::rate: return suffixed_re("rps|k rps|krps|M rps|Mrps") + "?";  // bare: requests per second
    case Unit::fraction: return fraction_re();
    case Unit::offset: return "[-+]?[ \\t]*(?:" + duration_re() + ")";
    default: break;
  }
  throw std::logic_error("unit without a pattern");
}

std::string utc_timestamp_re() {
  return R"([0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9])"
         R"((?::(?:[0-5][0-9]|60)(?:\.[0-9]*)?)?Z)";
}

/// parse_sim_time: +offset, a UTC time of day HH:MM[:SS]Z, or a UTC timestamp.
std::string sim_time_re() {
  return R"(\+[ \t]*(?:)" + duration_re() + R"()|(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?Z|)" +
         utc_timestamp_re();
}

/// The whole text, blanks around it allowed (the parsers trim them).
std::string anchored(const std::string& body) { return R"(^[ \t]*(?:)" + body + R"()[ \t]*$)"; }

/// The keys read_distribution asks for, per kind; any other key is unknown.
std::vector<std::string_view> distribution_parameters(DistributionKind kind) {
  switch (kind) {
    case DistributionKind::fixed: return {"value"};
    case DistributionKind::uniform: return {"min", "max"};
    case DistributionKind::exp: return {"mean"};
    case DistributionKind::lognormal: return {"median", "p95"};
  }
  throw std::logic_error("distribution without parameters");
}

std::string sentence(std::string_view text) {
  std::string s(text);
  if (!s.empty()) s.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(s.front())));
  return s;
}

Json matching(const std::string& pattern) { return Json::object({{"type", "string"}, {"pattern", pattern}}); }

template <class E>
Json enum_names() {
  Json names = Json::array();
  for (const auto& [value, name] : EnumNames<E>::values) names.push_back(name);
  return names;
}

// --- $defs ----------------------------------------------------------------------

struct StructDef {
  std::string name;
  std::string partial;  ///< the def without required keys, for entries completed by a template
  Json shorthand;       ///< the scalar a struct with a shorthand may be written as
};

/// The `$defs` of the schema, and which struct got which name.
class Definitions {
 public:
  Definitions() {
    for (Unit unit : all_units) reserved_.insert(distribution_name(unit));
    define("param", Json::object({{"description", "A ${name} reference to params, replaced by its value before any check"},
                                  {"type", "string"},
                                  {"pattern", R"(.*\$\{[^}]+\}.*)"}}));
    define("string", Json::object({{"description", "A non-empty value, read as text"},
                                   {"type", Json::array({"string", "number", "boolean"})},
                                   {"minLength", 1}}));
    define("count", integer(fmt::format("A non-negative integer, at most {}", max_integer), max_integer));
    define("unsigned", integer("A non-negative integer", std::nullopt));
    define("boolean", Json::object({{"description", "true or false"},
                                    {"anyOf", Json::array({Json::object({{"type", "boolean"}}),
                                                           Json::object({{"enum", Json::array({"true", "false"})}}),
                                                           ref("param")})}}));
    for (Unit unit : all_units) define(std::string(unit_name(unit)), quantity(unit));
    define("time", Json::object({{"description", "A time: +25m (after scenario.start), 14:30Z or 14:30:15Z (that "
                                                 "UTC time of day, the first at or after scenario.start), "
                                                 "2025-11-18T11:20:00Z (UTC), or a distribution of offsets from the "
                                                 "start"},
                                 {"anyOf", Json::array({matching(anchored(sim_time_re())),
                                                        distribution(Unit::duration), ref("param")})}}));
    define("timestamp", Json::object({{"description", "An ISO-8601 UTC time such as 2025-11-18T11:00:00Z"},
                                      {"anyOf", Json::array({matching(anchored(utc_timestamp_re())), ref("param")})}}));
  }

  static Json ref(std::string_view name) { return Json::object({{"$ref", fmt::format("#/$defs/{}", name)}}); }

  Json quantity_ref(Unit unit) const { return ref(std::string(unit_name(unit))); }

  /// The object form {dist: ..., ...} of a distribution whose parameters are in `unit`.
  Json distribution(Unit unit) {
    const std::string name = distribution_name(unit);
    if (!defs_.contains(name)) define(name, distribution_object(unit));
    return ref(name);
  }

  /// A name for a new def: the key, else the dotted path, else numbered.
  std::string claim(std::string_view key, const std::string& path, bool relaxed) {
    const std::string suffix = relaxed ? "_partial" : "";
    std::string name = std::string(key) + suffix;
    if (taken(name)) name = path + suffix;
    for (int n = 2; taken(name); ++n) name = fmt::format("{}{}_{}", path, suffix, n);
    defs_[name] = nullptr;  // holds its place, so a def comes before the defs it refers to
    return name;
  }

  void define(const std::string& name, Json schema) { defs_[name] = std::move(schema); }

  const StructDef* find(std::type_index type, bool relaxed) const {
    auto it = structs_.find({type, relaxed});
    return it == structs_.end() ? nullptr : &it->second;
  }
  const StructDef& remember(std::type_index type, bool relaxed, StructDef def) {
    return structs_.insert_or_assign({type, relaxed}, std::move(def)).first->second;
  }

  Json take() { return std::move(defs_); }

 private:
  static std::string distribution_name(Unit unit) { return std::string(unit_name(unit)) + "_distribution"; }

  bool taken(const std::string& name) const { return defs_.contains(name) || reserved_.contains(name); }

  static Json integer(std::string_view doc, std::optional<std::uint64_t> maximum) {
    Json number = Json::object({{"type", "integer"}, {"minimum", 0}});
    if (maximum) number["maximum"] = *maximum;
    return Json::object({{"description", doc}, {"anyOf", Json::array({number, matching("^[0-9]+$"), ref("param")})}});
  }

  /// A quantity's text forms and, where YAML may give it as a number, that
  /// number with the unit's range (docs/limits.md) as minimum and maximum.
  static Json quantity(Unit unit) {
    const Range& range = unit_range(unit);
    Json alternatives = Json::array({matching(anchored(unit_re(unit)))});
    switch (unit_grammar(unit)) {
      case Unit::none:
      case Unit::fraction:
      case Unit::rate:
        alternatives.push_back(Json::object({{"type", "number"}, {"minimum", range.min}, {"maximum", range.max}}));
        break;
      case Unit::duration:
      case Unit::offset:
        if (range.min <= 0) alternatives.push_back(Json::object({{"type", "integer"}, {"const", 0}}));
        break;
      default: break;  // a bare number has no unit, so YAML numbers are wrong here
    }
    alternatives.push_back(ref("param"));
    return Json::object({{"description", fmt::format("{}; range: {}", sentence(unit_example(unit)), range.text)},
                         {"anyOf", std::move(alternatives)}});
  }

  static Json distribution_object(Unit unit) {
    Json properties = Json::object(
        {{"dist", Json::object({{"description", "fixed, uniform, exp or lognormal"},
                                {"anyOf", Json::array({Json::object({{"enum", enum_names<DistributionKind>()}}),
                                                       ref("param")})}})}});
    std::vector<std::string_view> every;
    for (const auto& [kind, name] : EnumNames<DistributionKind>::values)
      for (auto parameter : distribution_parameters(kind)) {
        every.push_back(parameter);
        properties[std::string(parameter)] = ref(std::string(unit_name(unit)));
      }
    Json per_kind = Json::array();
    for (const auto& [kind, name] : EnumNames<DistributionKind>::values) {
      const auto wanted = distribution_parameters(kind);
      Json others = Json::object();
      for (auto parameter : every)
        if (std::find(wanted.begin(), wanted.end(), parameter) == wanted.end()) others[std::string(parameter)] = false;
      per_kind.push_back(Json::object(
          {{"if", Json::object({{"properties", Json::object({{"dist", Json::object({{"const", name}})}})},
                                {"required", Json::array({"dist"})}})},
           {"then", Json::object({{"required", Json(wanted)},
                                  {"properties", std::move(others)}})}}));
    }
    return Json::object(
        {{"description", fmt::format("A value drawn once per run from the seed, its parameters in {}",
                                     unit == Unit::none ? "numbers" : std::string(unit_name(unit)) + "s")},
         {"type", "object"},
         {"properties", std::move(properties)},
         {"required", Json::array({"dist"})},
         {"additionalProperties", false},
         {"allOf", std::move(per_kind)}});
  }

  Json defs_ = Json::object();
  std::set<std::string> reserved_;
  std::map<std::pair<std::type_index, bool>, StructDef> structs_;
};

// --- the visitor ---------------------------------------------------------------

/// Collects one mapping's properties from its declarations; a struct met on
/// the way becomes a def of its own, once per type.
/// Mappings that take exactly one of some keys, each optional alone (a
/// service's capacity as a rate or as a cpu budget; a site's open or closed
/// loop): the loader's checks say which is missing, the schema says so too.
template <class T>
std::vector<std::string_view> exactly_one_of() {
  return {};
}
template <>
std::vector<std::string_view> exactly_one_of<ServiceSpec>() {
  return {"capacity", "cpu"};
}
template <>
std::vector<std::string_view> exactly_one_of<SiteSpec>() {
  return {"rps", "closed_loop"};
}

class SchemaVisitor {
 public:
  /// `relaxed`: a template may supply any key, so none is required.
  SchemaVisitor(Definitions& defs, std::string path, bool relaxed)
      : defs_(defs), path_(std::move(path)), relaxed_(relaxed) {}

  template <class T>
  void required(std::string_view key, T& value, std::string_view doc) {
    add(key, schema_of(key, value), true, doc);
  }
  template <class T>
  void optional(std::string_view key, T& value, std::string_view doc) {
    add(key, schema_of(key, value), false, doc);
  }
  void required(std::string_view key, double&, Unit unit, std::string_view doc) {
    add(key, defs_.quantity_ref(unit), true, doc);
  }
  void optional(std::string_view key, double&, Unit unit, std::string_view doc) {
    add(key, defs_.quantity_ref(unit), false, doc);
  }
  void optional(std::string_view key, std::optional<double>&, Unit unit, std::string_view doc) {
    add(key, defs_.quantity_ref(unit), false, doc);
  }
  void optional(std::string_view key, std::optional<Distribution>&, Unit unit, std::string_view doc) {
    add(key, Json::object({{"anyOf", Json::array({defs_.quantity_ref(unit), defs_.distribution(unit)})}}), false, doc);
  }
  void required_time(std::string_view key, TimeSpec&, std::string_view doc) {
    add(key, Definitions::ref("time"), true, doc);
  }
  void optional_time(std::string_view key, std::optional<TimeSpec>&, std::string_view doc) {
    add(key, Definitions::ref("time"), false, doc);
  }
  void timestamp(std::string_view key, double&, std::string_view doc) {
    add(key, Definitions::ref("timestamp"), true, doc);
  }
  void preprocessed(std::string_view key, std::string_view doc) {
    // compose.cpp takes single values only: a mapping, a list or null is refused.
    add(key,
        Json::object({{"type", "object"},
                      {"additionalProperties", Json::object({{"type", Json::array({"string", "number", "boolean"})}})}}),
        false, doc);
  }
  template <class Fn>
  void object(std::string_view key, std::string_view doc, Fn&& describe_fields) {
    const std::string path = child(key);
    const std::string name = defs_.claim(key, path, relaxed_);
    SchemaVisitor inner(defs_, path, relaxed_);
    describe_fields(inner);
    defs_.define(name, inner.mapping());
    add(key, Definitions::ref(name), true, doc);
  }

  /// A discriminated union: one branch per kind, each with `key: {const:
  /// kind}` and exactly the keys of that kind beside the mapping's own, so
  /// that an editor completes the keys of the kind written.
  template <class... Kinds>
  void variant(std::string_view key, std::variant<Kinds...>&, std::string_view noun, std::string_view /*doc*/) {
    auto branch = [&]<class Kind>(Kind*) {
      Kind value{};
      SchemaVisitor inner(defs_, path_, relaxed_);
      inner.add(key, Json::object({{"const", Kind::kind}}), true, fmt::format("{}: {}", sentence(noun), Kind::summary));
      describe(inner, value);
      branches_.push_back({fmt::format("{} {}", Kind::kind, noun), std::string(Kind::summary),
                           std::move(inner.properties_), std::move(inner.required_)});
    };
    (branch(static_cast<Kinds*>(nullptr)), ...);
  }

  /// The mapping the declarations describe.
  Json mapping() const {
    if (branches_.empty()) return closed(properties_, required_);
    Json one_of = Json::array();
    for (const auto& b : branches_) {
      Json properties = properties_;
      properties.update(b.properties);
      std::vector<std::string> required = required_;
      required.insert(required.end(), b.required.begin(), b.required.end());
      Json schema = Json::object({{"title", b.title}, {"description", b.description}});
      schema.update(closed(properties, required));
      one_of.push_back(std::move(schema));
    }
    return Json::object({{"type", "object"}, {"oneOf", std::move(one_of)}});
  }

 private:
  std::string child(std::string_view key) const {
    return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  }

  void add(std::string_view key, const Json& schema, bool is_required, std::string_view doc) {
    Json property = Json::object();
    if (!doc.empty()) property["description"] = doc;
    property.update(schema);
    properties_[std::string(key)] = std::move(property);
    if (is_required) required_.emplace_back(key);
  }

  Json closed(const Json& properties, const std::vector<std::string>& required) const {
    Json schema = Json::object({{"type", "object"}, {"properties", properties}});
    if (!relaxed_ && !required.empty()) schema["required"] = required;
    schema["additionalProperties"] = false;
    return schema;
  }

  /// A property's schema without its description.
  Json bare_property(std::string_view key) const {
    Json schema = properties_.at(std::string(key));
    schema.erase("description");
    return schema;
  }

  Json schema_of(std::string_view, std::string&) { return Definitions::ref("string"); }
  Json schema_of(std::string_view, int&) { return Definitions::ref("count"); }
  Json schema_of(std::string_view, std::uint64_t&) { return Definitions::ref("unsigned"); }
  Json schema_of(std::string_view, bool&) { return Definitions::ref("boolean"); }
  Json schema_of(std::string_view, std::vector<InstanceCount>&) {
    return Json::object({{"type", "object"}, {"additionalProperties", Definitions::ref("count")}});
  }
  template <class T>
  Json schema_of(std::string_view key, std::optional<T>&) {
    T value{};
    return schema_of(key, value);
  }
  template <class T>
  Json schema_of(std::string_view key, std::vector<T>&) {
    T item{};
    // The loader reads `faults:` with nothing under it as an empty list.
    return Json::object({{"type", Json::array({"array", "null"})}, {"items", schema_of(key, item)}});
  }

  template <class E>
    requires requires { EnumNames<E>::values; }
  Json schema_of(std::string_view, E&) {
    return Json::object(
        {{"anyOf", Json::array({Json::object({{"enum", enum_names<E>()}}), Definitions::ref("param")})}});
  }

  template <class T>
    requires requires(SchemaVisitor& v, T& t) { describe(v, t); }
  Json schema_of(std::string_view key, T&) {
    const StructDef& def = define<T>(key, relaxed_);
    Json schema = Definitions::ref(def.name);
    if (!def.partial.empty())
      schema = Json::object({{"if", Json::object({{"type", "object"}, {"required", Json::array({template_key})}})},
                             {"then", Definitions::ref(def.partial)},
                             {"else", std::move(schema)}});
    if (!def.shorthand.is_null()) {
      Json alternatives = Json::array({std::move(schema)});
      if (def.shorthand.size() == 1 && def.shorthand.contains("anyOf"))
        for (const auto& alternative : def.shorthand["anyOf"]) alternatives.push_back(alternative);
      else
        alternatives.push_back(def.shorthand);
      schema = Json::object({{"anyOf", std::move(alternatives)}});
    }
    return schema;
  }

  template <class T>
  const StructDef& define(std::string_view key, bool relaxed) {
    if (const StructDef* known = defs_.find(typeid(T), relaxed)) return *known;
    const std::string path = child(key);
    StructDef def{defs_.claim(key, path, relaxed), {}, {}};
    T value{};
    SchemaVisitor inner(defs_, path, relaxed);
    describe(inner, value);
    Json mapping = inner.mapping();
    if (const auto keys = exactly_one_of<T>(); !relaxed && !keys.empty()) {
      Json one_of = Json::array();
      for (const auto one : keys) one_of.push_back(Json::object({{"required", Json::array({one})}}));
      mapping["oneOf"] = std::move(one_of);
    }
    defs_.define(def.name, std::move(mapping));
    if constexpr (requires { T::shorthand; }) def.shorthand = inner.bare_property(T::shorthand);
    if (!relaxed && inner.properties_.contains(template_key)) def.partial = define<T>(key, true).name;
    return defs_.remember(typeid(T), relaxed, std::move(def));
  }

  Definitions& defs_;
  std::string path_;
  bool relaxed_;
  Json properties_ = Json::object();
  std::vector<std::string> required_;
  struct Branch {
    std::string title;
    std::string description;
    Json properties;
    std::vector<std::string> required;
  };
  std::vector<Branch> branches_;  ///< the kinds of a variant read in this mapping
};

}  // namespace

namespace {

/// The JSON Schema of a document described by describe(V&, Document&).
template <class Document>
std::string document_schema(const char* id, const char* title, const char* description) {
  Definitions defs;
  Document document;
  SchemaVisitor top(defs, "", false);
  describe(top, document);
  Json schema = Json::object({{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                              {"$id", id},
                              {"title", title},
                              {"description", description}});
  schema.update(top.mapping());
  schema["$defs"] = defs.take();
  return schema.dump(2) + "\n";
}

}  // namespace

std::string scenario_json_schema() {
  return document_schema<Scenario>("urn:outagesim:scenario", "outagesim scenario",
                                   "A scenario file of outagesim. Generated by `outagesim schema` from "
                                   "sim/scenario/describe.hpp; docs/scenario-reference.md describes the same keys.");
}

std::string sweep_json_schema() {
  return document_schema<SweepSpec>(
      "urn:outagesim:sweep", "outagesim sweep spec",
      "A sweep spec of outagesim (scenarios/sweeps/). Generated by `outagesim schema --sweep` from "
      "sim/scenario/sweep_spec.hpp; docs/experiments.md explains it.");
}

}  // namespace outagesim::scenario
