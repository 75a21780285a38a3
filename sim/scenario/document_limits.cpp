#include "document_limits.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace outagesim::scenario {
namespace {

/// Length of the well-formed UTF-8 sequence at the start of `bytes`, or 0:
/// no overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629).
std::size_t utf8_sequence_length(std::string_view bytes) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead == 0xE0) length = 3, low = 0xA0;
  else if (lead == 0xED) length = 3, high = 0x9F;
  else if (lead >= 0xE1 && lead <= 0xEF) length = 3;
  else if (lead == 0xF0) length = 4, low = 0x90;
  else if (lead == 0xF4) length = 4, high = 0x8F;
  else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
  else return 0;
  if (bytes.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return length;
}

/// Control characters other than tab and line breaks have no place in a
/// scenario; in names they would reach the CSV, the terminal and the report.
bool is_forbidden_control(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F; }

/// Offset of the first byte that is not UTF-8 text, and what is wrong there.
struct TextProblem {
  std::size_t offset;
  std::string message;
};

std::optional<TextProblem> first_text_problem(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (c == 0) return TextProblem{at, "a NUL byte (is this a binary file?)"};
    if (is_forbidden_control(c)) return TextProblem{at, fmt::format("control character 0x{:02X}", c)};
    const std::size_t length = utf8_sequence_length(text.substr(at));
    if (length == 0) return TextProblem{at, fmt::format("byte 0x{:02X}, not valid UTF-8", c)};
    at += length;
  }
  return std::nullopt;
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
std::pair<int, int> line_and_column(std::string_view text, std::size_t offset) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {  // continuation bytes belong to the previous character
      ++column;
    }
  }
  return {line, column};
}

/// Thrown from inside the parser's callbacks to stop at the first problem.
struct Rejected {
  Diagnostic diagnostic;
};

/// Follows the parser's events, measuring what each node would be once its
/// aliases are expanded: how many nodes it holds and how deep it goes.
class ShapeCheck : public YAML::EventHandler {
 public:
  explicit ShapeCheck(std::string file) : file_(std::move(file)) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents_;
    if (documents_ > 1)
      reject(mark, "a second YAML document starts here; a scenario file holds exactly one document");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    // Escapes ("\0", "\e") put characters in a value that the raw text check never saw.
    if (auto problem = first_text_problem(value))
      reject(mark, "expected UTF-8 text without control characters; this value holds " + problem->message);
    if (!open_.empty() && open_.back().is_map && open_.back().expecting_key) check_key(mark, value);
    leaf(mark, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (std::any_of(open_.begin(), open_.end(), [&](const Frame& f) { return f.anchor == anchor; }))
      reject(mark, "this alias refers to a node that contains it; the value would be infinite");
    const Measure& target = measures_.at(anchor);
    expanded_ += target.nodes;
    if (expanded_ > max_alias_expansion)
      reject(mark, fmt::format("the aliases of this file stand for more than {} values in all; a scenario needs "
                               "far fewer (is this a YAML alias bomb?)",
                               max_alias_expansion));
    if (open_.size() + target.height > max_yaml_depth)
      reject(mark, fmt::format("this alias expands to mappings and lists nested more than {} deep", max_yaml_depth));
    add_to_parent(target);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

  [[nodiscard]] int documents() const { return documents_; }
  /// Problems that do not stop the walk: duplicate keys, in any mapping.
  [[nodiscard]] const std::vector<Diagnostic>& duplicates() const { return duplicates_; }

 private:
  /// A node's size with its aliases expanded; nodes stays below twice the
  /// budget, since the walk stops as soon as the budget is passed.
  struct Measure {
    std::size_t nodes = 1;
    std::size_t height = 0;  ///< levels of mappings and lists, this one included
  };
  struct Frame {
    YAML::anchor_t anchor;
    Measure measure;
    bool is_map = false;
    bool expecting_key = true;                  ///< a mapping's next child is a key
    std::map<std::string, int> keys = {};      ///< a mapping's scalar keys, with their lines
  };

  [[noreturn]] void reject(const YAML::Mark& mark, std::string message) const {
    throw Rejected{Diagnostic{file_, mark.line + 1, mark.column + 1, "", std::move(message)}};
  }

  void leaf(const YAML::Mark& /*mark*/, YAML::anchor_t anchor) {
    const Measure measure{1, 0};
    if (anchor != 0) remember(anchor, measure);
    add_to_parent(measure);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    if (open_.size() + 1 > max_yaml_depth)
      reject(mark, fmt::format("mappings and lists are nested more than {} deep here; a scenario needs about 8",
                               max_yaml_depth));
    open_.push_back(Frame{anchor, Measure{1, 1}, is_map});
  }
  /// yaml-cpp keeps both values of a repeated key, and readers would see
  /// either: a mistake wherever it is (params, templates, region counts).
  void check_key(const YAML::Mark& mark, const std::string& key) {
    auto [first, inserted] = open_.back().keys.emplace(key, mark.line + 1);
    if (!inserted)
      duplicates_.push_back(Diagnostic{file_, mark.line + 1, mark.column + 1, "",
                                       fmt::format("duplicate key '{}' (first given on line {})", key, first->second)});
  }
  void close() {
    const Frame frame = std::move(open_.back());
    open_.pop_back();
    if (frame.anchor != 0) remember(frame.anchor, frame.measure);
    add_to_parent(frame.measure);
  }
  void add_to_parent(const Measure& child) {
    if (open_.empty()) return;
    if (open_.back().is_map) open_.back().expecting_key = !open_.back().expecting_key;
    Measure& parent = open_.back().measure;
    parent.nodes = std::min(parent.nodes + child.nodes, 2 * max_alias_expansion);
    parent.height = std::max(parent.height, child.height + 1);
  }
  void remember(YAML::anchor_t anchor, const Measure& measure) {
    if (measures_.size() <= anchor) measures_.resize(anchor + 1);
    measures_[anchor] = measure;
  }

  std::string file_;
  int documents_ = 0;
  std::vector<Frame> open_;
  std::vector<Measure> measures_;  ///< by anchor number (yaml-cpp numbers them from 1)
  std::size_t expanded_ = 0;       ///< nodes all aliases so far stand for
  std::vector<Diagnostic> duplicates_;
};

}  // namespace

void check_document(const std::string& text, const std::string& file, bool allow_empty) {
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);  // a UTF-8 byte order mark is allowed
  if (auto problem = first_text_problem(body)) {
    auto [line, column] = line_and_column(body, problem->offset);
    throw ScenarioError({Diagnostic{file, line, column, "", "expected UTF-8 text, found " + problem->message}});
  }
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  ShapeCheck shape(file);
  try {
    while (parser.HandleNextDocument(shape)) {
    }
  } catch (const Rejected& rejected) {
    throw ScenarioError({rejected.diagnostic});
  } catch (const YAML::Exception& e) {
    throw ScenarioError({Diagnostic{file, e.mark.line + 1, e.mark.column + 1, "", fmt::format("invalid YAML: {}", e.msg)}});
  }
  if (!shape.duplicates().empty()) throw ScenarioError(shape.duplicates());
  if (shape.documents() == 0 && !allow_empty)
    throw ScenarioError({Diagnostic{file, 1, 1, "", "the file holds no YAML document; expected a scenario mapping"}});
}

}  // namespace outagesim::scenario
