// gzip through zlib, as streams: timeseries.csv.gz is written through a
// GzipWriter over the run directory's temporary file, and read back by
// `compare` and `ensemble` through a GzipReader. The files are ordinary
// gzip members (RFC 1952) that pandas, R and `gzip -d` read directly; the
// header carries no time or name, so equal bytes in give equal bytes out.
#pragma once

#include <array>
#include <istream>
#include <memory>
#include <ostream>
#include <streambuf>

namespace outagesim::metrics {

/// Deflates what is written to it into `sink`. finish() writes the end of
/// the gzip member; a writer destroyed unfinished leaves a truncated one.
class GzipWriter : public std::streambuf {
 public:
  /// `level` as zlib's: 1 fastest, 9 smallest; 6 is gzip's default.
  explicit GzipWriter(std::ostream& sink, int level = 6);
  ~GzipWriter() override;
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  /// Flushes and ends the member; sets the sink's badbit on a zlib error.
  void finish();

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;

 private:
  void deflate_input(int flush);

  struct State;
  std::unique_ptr<State> state_;
  std::ostream& sink_;
  std::array<char, 1 << 16> input_{};
  bool finished_ = false;
};

/// Inflates a gzip file read from `source`; reading past a damaged or
/// truncated member sets the failbit, as a short read does.
class GzipReader : public std::streambuf {
 public:
  explicit GzipReader(std::istream& source);
  ~GzipReader() override;
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  /// Whether the input ended inside a member or was not gzip.
  [[nodiscard]] bool damaged() const { return damaged_; }

 protected:
  int_type underflow() override;

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::istream& source_;
  std::array<char, 1 << 16> compressed_{};
  std::array<char, 1 << 16> output_{};
  bool ended_ = false;
  bool damaged_ = false;
};

}  // namespace outagesim::metrics
