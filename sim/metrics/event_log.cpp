#include "event_log.hpp"

#include "display_format.hpp"
#include "sim/scenario/units.hpp"

#include <nlohmann/json.hpp>

namespace outagesim::metrics {
namespace {

/// An event's keys into one JSON object, in the order it writes them.
class JsonFields : public world::EventFields {
 public:
  explicit JsonFields(nlohmann::ordered_json& j) : j_(j) {}
  void text(const char* key, const std::string& value) override { j_[key] = value; }
  void null(const char* key) override { j_[key] = nullptr; }
  void number(const char* key, double value) override { j_[key] = value; }
  void count(const char* key, int value) override { j_[key] = value; }
  void flag(const char* key, bool value) override { j_[key] = value; }

 private:
  nlohmann::ordered_json& j_;
};

}  // namespace

std::string EventLog::to_json_line(const world::Event& event, const world::WorldState& state) const {
  nlohmann::ordered_json j;
  j["t"] = event.t_s;
  j["time_utc"] = utc_timestamp_ms(world_.start_epoch_s + event.t_s);
  JsonFields fields(j);
  const world::EventContext context{world_, state};
  // Every event type declares its kind and writes its own keys (world/events.hpp).
  std::visit(
      [&](const auto& what) {
        j["kind"] = std::string(std::decay_t<decltype(what)>::declared.kind);
        what.write(fields, context);
      },
      event.what);
  j["cause"] = event.cause;
  return j.dump();
}

void EventLog::on_event(const world::Event& event, const world::WorldState& state) {
  out_ << to_json_line(event, state) << '\n';
}

}  // namespace outagesim::metrics
