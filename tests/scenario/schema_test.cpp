// The JSON Schema is only useful if it agrees with the loader: an editor that
// flags a value the loader takes, or passes one it refuses, misleads. These
// tests hold the schema's unit patterns against units.cpp's own parsers.
// tests/scenario/validate_with_schema.py validates whole files with it.
#include "sim/scenario/describe.hpp"
#include "sim/scenario/schema.hpp"
#include "sim/scenario/units.hpp"

#include <algorithm>
#include <functional>
#include <regex>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace outagesim::scenario {
namespace {

using nlohmann::json;

const json& schema() {
  static const json parsed = json::parse(scenario_json_schema());
  return parsed;
}

const json& def(const std::string& name) { return schema().at("$defs").at(name); }

/// The string form of a scalar def: its first alternative.
std::regex string_form(const std::string& def_name) {
  const json& first = def(def_name).at("anyOf").at(0);
  EXPECT_EQ(first.at("type"), "string") << def_name;
  return std::regex(first.at("pattern").get<std::string>(), std::regex::ECMAScript);
}

bool matches(const std::regex& pattern, const std::string& text) { return std::regex_search(text, pattern); }

/// What YamlVisitor::read_quantity accepts: parse_quantity, then the range checks.
bool loader_accepts(const std::string& text, Unit unit) {
  auto parsed = parse_quantity(text, unit);
  if (!parsed.value) return false;
  if (unit != Unit::none && *parsed.value < 0) return false;
  return unit != Unit::fraction || *parsed.value <= 1;
}

void expect_mirrors_loader(Unit unit, const std::string& def_name, const std::vector<std::string>& samples) {
  const std::regex pattern = string_form(def_name);
  for (const auto& sample : samples)
    EXPECT_EQ(matches(pattern, sample), loader_accepts(sample, unit))
        << def_name << " '" << sample << "': loader " << (loader_accepts(sample, unit) ? "accepts" : "rejects");
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  for (const auto& item : array) out.push_back(item.get<std::string>());
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// Every subschema of the document, depth first.
void walk(const json& node, const std::function<void(const json&)>& visit) {
  visit(node);
  if (node.is_object() || node.is_array())
    for (const auto& child : node) walk(child, visit);
}

TEST(Schema, IsDraft202012) {
  EXPECT_EQ(schema().at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_TRUE(schema().contains("$id"));
  EXPECT_TRUE(schema().contains("title"));
  EXPECT_EQ(schema().at("type"), "object");
}

TEST(Schema, EveryObjectIsClosed) {
  int objects = 0;
  walk(schema(), [&](const json& node) {
    if (node.is_object() && node.contains("properties") && node.value("type", json()) == "object") {
      ++objects;
      EXPECT_EQ(node.at("additionalProperties"), false) << node.dump().substr(0, 200);
    }
  });
  EXPECT_GT(objects, 30);
}

TEST(Schema, EveryReferenceResolves) {
  walk(schema(), [&](const json& node) {
    if (!node.is_object() || !node.contains("$ref")) return;
    const std::string ref = node.at("$ref").get<std::string>();
    ASSERT_EQ(ref.rfind("#/$defs/", 0), 0u) << ref;
    EXPECT_TRUE(schema().at("$defs").contains(ref.substr(8))) << ref;
  });
}

TEST(Schema, RequiredKeysFollowTheDeclarations) {
  const auto top = strings(schema().at("required"));
  EXPECT_TRUE(contains(top, "providers"));
  EXPECT_TRUE(contains(top, "scenario"));
  EXPECT_FALSE(contains(top, "faults"));
  const auto header = strings(def("scenario").at("required"));
  for (const char* key : {"name", "start", "duration"}) EXPECT_TRUE(contains(header, key)) << key;
  EXPECT_FALSE(contains(header, "seed"));
  const auto service = strings(def("services").at("required"));
  EXPECT_TRUE(contains(service, "name"));
  // capacity or cpu, one of them: the loader's checks say which is missing.
  EXPECT_FALSE(contains(service, "capacity"));
  EXPECT_TRUE(def("services").at("properties").contains("cpu"));
  EXPECT_FALSE(contains(service, "variants"));
}

TEST(Schema, ProviderEntriesWithUseMayLeaveOutWhatTheTemplateGives) {
  const json& items = schema().at("properties").at("providers").at("items");
  EXPECT_EQ(items.at("if").at("required"), json::array({"use"}));
  const std::string partial = items.at("then").at("$ref").get<std::string>().substr(8);
  EXPECT_FALSE(def(partial).contains("required"));
  EXPECT_EQ(def(partial).at("additionalProperties"), false);
  EXPECT_FALSE(def("services_partial").contains("required"));
  EXPECT_TRUE(def("services_partial").at("properties").contains("capacity"));
}

TEST(Schema, DescriptionsComeFromTheDocStrings) {
  EXPECT_EQ(def("faults").at("oneOf").at(0).at("properties").at("at").at("description"), "When it happens");
  EXPECT_EQ(schema().at("properties").at("providers").at("description"), "CDNs, clouds, DNS providers and SaaS");
}

/// Checks that `def_name` is a discriminated oneOf over `Kinds`: one closed
/// branch per kind, `key` pinned to its name, holding exactly the keys the
/// kind declares beside `common`.
template <class... Kinds>
void expect_one_branch_per_kind(const std::string& def_name, const std::string& key,
                                const std::vector<std::string>& common, const std::variant<Kinds...>&) {
  const json& branches = def(def_name).at("oneOf");
  ASSERT_EQ(branches.size(), sizeof...(Kinds));
  std::size_t b = 0;
  auto check = [&]<class Kind>(Kind*) {
    const json& branch = branches.at(b++);
    const json& properties = branch.at("properties");
    EXPECT_EQ(properties.at(key).at("const"), std::string(Kind::kind));
    std::vector<std::string> expected = common;
    expected.push_back(key);
    for (const auto& k : declared_keys<Kind>()) expected.push_back(k);
    std::vector<std::string> got;
    for (const auto& [name, value] : properties.items()) got.push_back(name);
    std::sort(expected.begin(), expected.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected) << Kind::kind;
    EXPECT_EQ(branch.at("additionalProperties"), false) << Kind::kind;
    EXPECT_TRUE(contains(strings(branch.at("required")), key)) << Kind::kind;
  };
  (check(static_cast<Kinds*>(nullptr)), ...);
}

TEST(Schema, EachFaultKindIsABranchWithExactlyItsOwnKeys) {
  expect_one_branch_per_kind("faults", "kind", {"id", "at", "duration"}, FaultKind{});
  const json& capacity_loss = def("faults").at("oneOf").at(2);
  ASSERT_EQ(capacity_loss.at("properties").at("kind").at("const"), "capacity_loss");
  EXPECT_TRUE(contains(strings(capacity_loss.at("required")), "capacity_factor"));
  EXPECT_TRUE(contains(strings(capacity_loss.at("required")), "target"));
}

TEST(Schema, EachActionKindIsABranchWithExactlyItsOwnKeys) {
  expect_one_branch_per_kind("actions", "do", {"at", "on_diagnosis", "when", "rollout"}, ActionKind{});
}

TEST(Schema, ShorthandStructsMayBeTheirKind) {
  const json& rollout = def("channels").at("properties").at("rollout").at("anyOf");
  EXPECT_EQ(rollout.at(0).at("$ref"), "#/$defs/rollout");
  EXPECT_EQ(rollout.at(1).at("enum"), json::array({"global", "staged"}));
}

TEST(Schema, ParamsAreAcceptedWhereverAScalarIs) {
  const std::regex param(def("param").at("pattern").get<std::string>(), std::regex::ECMAScript);
  EXPECT_TRUE(matches(param, "${cap}"));
  EXPECT_TRUE(matches(param, "${cap} rps"));
  EXPECT_FALSE(matches(param, "$cap"));
  EXPECT_FALSE(matches(param, "${}"));
  for (const char* name : {"count", "unsigned", "boolean", "number", "duration", "size", "bandwidth", "rate",
                           "fraction", "time", "timestamp"})
    EXPECT_EQ(def(name).at("anyOf").back().at("$ref"), "#/$defs/param") << name;
}

TEST(Schema, DurationPatternMirrorsTheLoader) {
  expect_mirrors_loader(Unit::duration, "duration",
                        {"250ms", "5s", "5m", "5min", "2h", "1d", "1h30m", "2m30s", "1h30m15s", "0", "0s", " 5m ",
                         "\t1h\t", "1.5h", ".5h", "5.m", "1e3s", "1E2ms", "5", "00", "0.0", "5 m", "1h 30m", "5mins",
                         "5 parsecs", "+5m", "-5s", "", " ", "abc", "h", "ms", "infs", "nans", "1hinf", "5e",
                         "5.5.5s", "0x10s", "1d2", "5M", "5S"});
}

TEST(Schema, SizePatternMirrorsTheLoader) {
  expect_mirrors_loader(Unit::size, "size",
                        {"60KB", "1MB", "2GB", "64KiB", "1MiB", "2GiB", "5B", "0B", "5 MB", "+5MB", " 5MB ", "1.5GB",
                         "1e3KB", "5", "5mb", "5 MBs", "-5MB", "5TB", "5kB", "KB", "5MiBs", "5 M B", "inf MB"});
}

TEST(Schema, BandwidthPatternMirrorsTheLoader) {
  expect_mirrors_loader(Unit::bandwidth, "bandwidth",
                        {"100Mbps", "10Gbps", "1GB/s", "5bps", "5kbps", "5Kbps", "1Tbps", "5B/s", "5KB/s", "5MB/s",
                         "1.5 Gbps", "+1Gbps", "10", "10Gb", "10gbps", "10 Gbps/s", "-1Gbps", "10GiB/s", "Gbps"});
}

TEST(Schema, RatePatternMirrorsTheLoader) {
  expect_mirrors_loader(Unit::rate, "rate",
                        {"2000 rps", "50k rps", "1.5M rps", "50krps", "2Mrps", "2000rps", "50 k rps", "+5 rps",
                         "1e3 rps", "50k  rps", "2000", "50K rps", "-5 rps", "5 rp s", "rps", "5 rps/s"});
}

TEST(Schema, FractionPatternMirrorsTheLoader) {
  expect_mirrors_loader(Unit::fraction, "fraction",
                        {"28%",  "0.28", "0",     "1",      "100%", "0%",   "100.0%", "99.99%", ".5",   ".5%",
                         "1.0",  "01",   "0.",    "28 %",   "+28%", "150%", "100.5%", "101%",   "1.5",  "2",
                         "-0.1", "-5%",  "28 percent", "%", "abc", ""});
  const json& number = def("fraction").at("anyOf").at(1);
  EXPECT_EQ(number.at("type"), "number");
  EXPECT_EQ(number.at("maximum"), 1);
}

TEST(Schema, NumberPatternMirrorsTheLoader) {
  expect_mirrors_loader(Unit::none, "number",
                        {"1", "-33.9", "+151.2", "1e3", ".5", "5.", "-.5", "+-5", " 5 ", "abc", "5x", "1,5", "inf",
                         "nan", "--5", "", "5 km"});
}

TEST(Schema, TimePatternMirrorsTheLoader) {
  const std::regex pattern = string_form("time");
  for (const std::string sample :
       {"+25m", "+0", "+ 5m", "+1h30m", " +25m ", "08:47", "08:47:30", "8:5", "08:4", "0:00", "25:00", "08:47Z",
        "08:47:30Z", "8:05Z", " 23:59Z ", "8:5Z", "08:4Z", "24:00Z", "08:60Z", "08:47:60Z", "008:47Z", "08:47z",
        "2025-11-18T11:20:00Z", "2025-11-18T11:20Z", "2025-11-18T11:20:00.5Z", "25m", "+5", "++5m", "08:60",
        "08:47:60", "08:047", "2025-11-18T11:20:00", "2025-11-18 11:20:00Z", "2025-13-18T11:20:00Z",
        "2025-11-18T24:00:00Z", "tomorrow", "", "0"})
    EXPECT_EQ(matches(pattern, sample), parse_sim_time(sample, 0).value.has_value()) << "'" << sample << "'";
}

TEST(Schema, TimestampPatternMirrorsTheLoader) {
  const std::regex pattern = string_form("timestamp");
  for (const std::string sample :
       {"2025-11-18T11:00:00Z", "2025-11-18T11:00Z", "2025-11-18T11:00:00.250Z", " 2025-11-18T11:00:00Z ",
        "2025-11-18T11:00:60Z", "2025-11-18T11:00:61Z", "2025-11-18T11:00:00", "2025-11-18",
        "2025-11-18T11:00:00+01:00", "2025-11-18t11:00:00z", "+25m", "08:47"})
    EXPECT_EQ(matches(pattern, sample), parse_utc_timestamp(sample).has_value()) << "'" << sample << "'";
}

// Where a regex cannot follow the parsers. Listed so that a change on either
// side shows up here rather than in someone's editor.
TEST(Schema, KnownDifferencesFromTheLoader) {
  // Stricter: a negative part in a sum, exponents in fractions, one-digit ISO fields.
  EXPECT_TRUE(loader_accepts("1h-30m", Unit::duration));
  EXPECT_FALSE(matches(string_form("duration"), "1h-30m"));
  EXPECT_TRUE(loader_accepts("2.8e-1", Unit::fraction));
  EXPECT_FALSE(matches(string_form("fraction"), "2.8e-1"));
  EXPECT_TRUE(parse_utc_timestamp("2025-1-5T1:02Z").has_value());
  EXPECT_FALSE(matches(string_form("timestamp"), "2025-1-5T1:02Z"));
  // Looser: days past the end of the month.
  EXPECT_FALSE(parse_utc_timestamp("2025-02-31T00:00Z").has_value());
  EXPECT_TRUE(matches(string_form("timestamp"), "2025-02-31T00:00Z"));
}

}  // namespace
}  // namespace outagesim::scenario
