#include "csv_reader.hpp"

#include <fmt/format.h>

namespace outagesim::metrics {

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  int c = in_.get();
  if (c == std::char_traits<char>::eof()) return false;
  record_line_ = line_;
  std::string field;
  bool quoted = false;       // inside a quoted field
  bool was_quoted = false;   // the current field was quoted and its closing quote seen
  for (;; c = in_.get()) {
    if (c == std::char_traits<char>::eof()) {
      if (quoted) throw CsvError(fmt::format("line {}: a quoted field is not closed", record_line_));
      fields.push_back(std::move(field));
      return true;
    }
    const char ch = static_cast<char>(c);
    if (quoted) {
      if (ch == '"') {
        if (in_.peek() == '"') {
          in_.get();
          field += '"';
        } else {
          quoted = false;
          was_quoted = true;
        }
      } else {
        if (ch == '\n') ++line_;
        field += ch;
      }
      continue;
    }
    if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && in_.peek() == '\n') in_.get();
      ++line_;
      fields.push_back(std::move(field));
      return true;
    } else if (ch == '"' && field.empty() && !was_quoted) {
      quoted = true;
    } else if (was_quoted) {
      throw CsvError(fmt::format("line {}: unexpected '{}' after a closing quote", line_, ch));
    } else {
      field += ch;
    }
  }
}

}  // namespace outagesim::metrics
