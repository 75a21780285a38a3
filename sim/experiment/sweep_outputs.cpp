#include "sweep_outputs.hpp"

#include "sweep_report.hpp"
#include "sweep_tables.hpp"

#include "sim/engine/loaded_engine.hpp"
#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/run_directory.hpp"

#include <outagesim/version.hpp>

#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::experiment {
namespace {

using metrics::csv_field;

void check_records(const PreparedSweep& sweep, const std::vector<RunRecord>& records) {
  if (records.size() != sweep.runs.size()) throw std::logic_error("write_sweep_outputs: not one record per run");
  for (std::size_t id = 0; id < records.size(); ++id)
    if (records[id].id != id) throw std::logic_error("write_sweep_outputs: records not sorted by id");
}

std::string parameter_columns(const PreparedSweep& sweep) {
  std::string header;
  for (const auto& f : sweep.sweep.factors) {
    header += ',';
    header += csv_field(f.path());
  }
  return header;
}

void write_timings_csv(std::ostream& out, const std::vector<RunRecord>& records) {
  out << "id,status,wall_s\n";
  for (const auto& r : records) out << fmt::format("{},{},{:.6f}\n", r.id, status_name(r.status), r.wall_s);
}

void write_failures_csv(std::ostream& out, const std::vector<RunRecord>& records) {
  out << "id,status,error\n";
  for (const auto& r : records)
    if (r.status != RunStatus::ok) out << fmt::format("{},{},{}\n", r.id, status_name(r.status), csv_field(r.error_tail));
}

void write_summary_csv(std::ostream& out, const PreparedSweep& sweep, const SweepTables& tables) {
  out << "point" << parameter_columns(sweep) << ",metric,n,mean,sd,ci95_low,ci95_high,q05,q50,q95\n";
  for (const auto& row : tables.points) {
    out << row.point;
    for (const auto& value : sweep.sweep.design.points[row.point]) out << ',' << csv_field(value);
    out << ',' << csv_field(sweep.sweep.spec.metrics[row.metric].name);
    if (!row.summary) {
      out << ",0,,,,,,,\n";
      continue;
    }
    const Summary& s = *row.summary;
    out << fmt::format(",{},{},{},{},{},{},{},{}\n", s.n, format_number(s.mean), format_number(s.sd),
                       format_number(s.ci95_low), format_number(s.ci95_high), format_number(s.q05),
                       format_number(s.q50), format_number(s.q95));
  }
}

void write_sensitivity_csv(std::ostream& out, const PreparedSweep& sweep, const SweepTables& tables) {
  out << "parameter,metric,method,value,mu,sigma,n\n";
  for (const auto& s : tables.sensitivities)
    out << fmt::format("{},{},{},{},{},{},{}\n", csv_field(sweep.sweep.factors[s.parameter].path()),
                       csv_field(sweep.sweep.spec.metrics[s.metric].name), s.method, format_number(s.value),
                       format_number(s.mu), format_number(s.sigma), s.n);
}

void write_manifest_json(std::ostream& out, const PreparedSweep& sweep, const SweepTables& tables) {
  nlohmann::ordered_json parameters = nlohmann::ordered_json::array(), metric_names = nlohmann::ordered_json::array();
  for (const auto& f : sweep.sweep.factors) parameters.push_back(f.path());
  for (const auto& m : sweep.sweep.spec.metrics) metric_names.push_back(m.name);
  const auto& spec = sweep.sweep.spec;
  nlohmann::ordered_json j{{"sweep", spec.name},
                           {"spec", spec.file},
                           {"spec_hash", sweep.spec_hash},
                           {"outagesim_version", version},
                           {"simgrid_version", engine::loaded::simgrid_version()},
                           {"base", sweep.base_path},
                           {"base_hash", sweep.base_hash},
                           {"seed", spec.seed},
                           {"design", std::string(scenario::enum_name(spec.design.kind))},
                           {"points", sweep.sweep.design.points.size()},
                           {"replications", spec.replications},
                           {"runs", sweep.runs.size()},
                           {"failed", tables.failed},
                           {"parameters", parameters},
                           {"metrics", metric_names}};
  out << j.dump(2) << '\n';
}

}  // namespace

void write_results_csv(std::ostream& out, const PreparedSweep& sweep, const std::vector<RunRecord>& records) {
  out << "id,point,replication,seed" << parameter_columns(sweep) << ",status";
  for (const auto& m : sweep.sweep.spec.metrics) out << ',' << csv_field(m.name);
  out << '\n';
  for (const auto& r : records) {
    const PlannedRun& run = sweep.runs[r.id];
    out << fmt::format("{},{},{},{}", run.id, run.point, run.replication, run.seed);
    for (const auto& [path, value] : run.values) out << ',' << csv_field(value);
    out << ',' << status_name(r.status);
    for (std::size_t m = 0; m < sweep.sweep.spec.metrics.size(); ++m)
      out << ',' << (r.status == RunStatus::ok ? format_number(r.metrics[m]) : std::string());
    out << '\n';
  }
}

void write_sweep_outputs(const fs::path& dir, const PreparedSweep& sweep, const std::vector<RunRecord>& records) {
  check_records(sweep, records);
  const SweepTables tables = sweep_tables(sweep, records);
  metrics::AtomicFile results(dir / "results.csv"), timings(dir / "timings.csv"), failures(dir / "failures.csv"),
      summary(dir / "summary.csv"), sensitivity(dir / "sensitivity.csv"), manifest(dir / "manifest.json"),
      report(dir / "report.html");
  write_results_csv(results.stream(), sweep, records);
  write_timings_csv(timings.stream(), records);
  write_failures_csv(failures.stream(), records);
  write_summary_csv(summary.stream(), sweep, tables);
  write_sensitivity_csv(sensitivity.stream(), sweep, tables);
  write_manifest_json(manifest.stream(), sweep, tables);
  report.stream() << render_sweep_report(sweep, records, tables);
  for (metrics::AtomicFile* file : {&results, &timings, &failures, &summary, &sensitivity, &manifest, &report})
    file->sync();
  for (metrics::AtomicFile* file : {&results, &timings, &failures, &summary, &sensitivity, &manifest, &report})
    file->commit();
  metrics::sync_directory(dir);
}

}  // namespace outagesim::experiment
