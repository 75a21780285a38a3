// Reads CSV as RFC 4180 writes it (and as timeseries.csv is written): fields
// separated by commas, quoted when they hold a comma, a quote or a line
// break, quotes doubled inside. Enough to read run directories back.
#pragma once

#include <cstddef>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

namespace outagesim::metrics {

class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}

  /// Reads the next record into `fields`; false at the end of the input.
  /// Throws CsvError on a quote left open or stray characters after a closing quote.
  bool next(std::vector<std::string>& fields);

  /// Line where the last record read started, from 1.
  [[nodiscard]] std::size_t line() const { return record_line_; }

 private:
  std::istream& in_;
  std::size_t line_ = 1;
  std::size_t record_line_ = 0;
};

}  // namespace outagesim::metrics
