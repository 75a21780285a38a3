#include "gzip_stream.hpp"

#include <zlib.h>

#include <cstring>

namespace outagesim::metrics {
namespace {

/// zlib's window bits for a gzip wrapper (15 + 16); for reading, 15 + 32
/// also accepts a zlib stream.
constexpr int gzip_window_bits = 15 + 16;
constexpr int detect_window_bits = 15 + 32;
constexpr int memory_level = 8;  // zlib's default

}  // namespace

struct GzipWriter::State {
  z_stream z{};
  bool ok = false;
};

GzipWriter::GzipWriter(std::ostream& sink, int level) : state_(std::make_unique<State>()), sink_(sink) {
  state_->ok = deflateInit2(&state_->z, level, Z_DEFLATED, gzip_window_bits, memory_level, Z_DEFAULT_STRATEGY) == Z_OK;
  if (!state_->ok) sink_.setstate(std::ios::badbit);
  setp(input_.data(), input_.data() + input_.size());
}

GzipWriter::~GzipWriter() {
  if (state_->ok) deflateEnd(&state_->z);
}

void GzipWriter::deflate_input(int flush) {
  z_stream& z = state_->z;
  z.next_in = reinterpret_cast<Bytef*>(pbase());
  z.avail_in = static_cast<uInt>(pptr() - pbase());
  std::array<char, 1 << 16> out{};
  int status = Z_OK;
  do {
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    status = deflate(&z, flush);
    if (status == Z_STREAM_ERROR) {
      sink_.setstate(std::ios::badbit);
      return;
    }
    sink_.write(out.data(), static_cast<std::streamsize>(out.size() - z.avail_out));
  } while (z.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END));
  setp(input_.data(), input_.data() + input_.size());
}

GzipWriter::int_type GzipWriter::overflow(int_type ch) {
  if (!state_->ok || finished_) return traits_type::eof();
  deflate_input(Z_NO_FLUSH);
  if (!traits_type::eq_int_type(ch, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
  }
  return sink_ ? traits_type::not_eof(ch) : traits_type::eof();
}

std::streamsize GzipWriter::xsputn(const char* s, std::streamsize n) {
  std::streamsize written = 0;
  while (written < n) {
    const std::streamsize room = epptr() - pptr();
    if (room == 0) {
      if (traits_type::eq_int_type(overflow(traits_type::eof()), traits_type::eof())) return written;
      continue;
    }
    const std::streamsize chunk = std::min(room, n - written);
    std::memcpy(pptr(), s + written, static_cast<std::size_t>(chunk));
    pbump(static_cast<int>(chunk));
    written += chunk;
  }
  return written;
}

void GzipWriter::finish() {
  if (!state_->ok || finished_) return;
  deflate_input(Z_FINISH);
  finished_ = true;
}

struct GzipReader::State {
  z_stream z{};
  bool ok = false;
};

GzipReader::GzipReader(std::istream& source) : state_(std::make_unique<State>()), source_(source) {
  state_->ok = inflateInit2(&state_->z, detect_window_bits) == Z_OK;
  damaged_ = !state_->ok;
}

GzipReader::~GzipReader() {
  if (state_->ok) inflateEnd(&state_->z);
}

GzipReader::int_type GzipReader::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  if (!state_->ok || ended_) return traits_type::eof();
  z_stream& z = state_->z;
  while (true) {
    if (z.avail_in == 0) {
      source_.read(compressed_.data(), static_cast<std::streamsize>(compressed_.size()));
      z.next_in = reinterpret_cast<Bytef*>(compressed_.data());
      z.avail_in = static_cast<uInt>(source_.gcount());
      if (z.avail_in == 0) {  // the file ended inside the member
        damaged_ = true;
        ended_ = true;
        return traits_type::eof();
      }
    }
    z.next_out = reinterpret_cast<Bytef*>(output_.data());
    z.avail_out = static_cast<uInt>(output_.size());
    const int status = inflate(&z, Z_NO_FLUSH);
    const auto produced = static_cast<std::ptrdiff_t>(output_.size() - z.avail_out);
    if (status == Z_STREAM_END) {
      // Concatenated members (what `cat a.gz b.gz` makes) read as one file.
      if (z.avail_in > 0 || source_.peek() != std::char_traits<char>::eof()) {
        inflateReset(&z);
      } else {
        ended_ = true;
      }
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      damaged_ = true;
      ended_ = true;
    }
    if (produced > 0) {
      setg(output_.data(), output_.data(), output_.data() + produced);
      return traits_type::to_int_type(*gptr());
    }
    if (ended_) return traits_type::eof();
  }
}

}  // namespace outagesim::metrics
