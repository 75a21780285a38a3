// outagesim: the command-line entry point. Parses arguments with CLI11 and
// hands over to one subcommand.
#include "commands.hpp"
#include "completion.hpp"

#include "sim/metrics/atomic_file.hpp"
#include "sim/scenario/reference.hpp"
#include "sim/scenario/schema.hpp"

#include <CLI/CLI.hpp>
#include <outagesim/version.hpp>

#include <iostream>
#include <thread>

int main(int argc, char** argv) {
  using namespace outagesim;
  CLI::App app{"outagesim: a discrete-event simulator of internet infrastructure outages"};
  app.set_version_flag("--version", std::string("outagesim ") + version);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  outagesim run scenarios/examples/cdn-bad-push.yaml\n"
      "  outagesim run scenarios/examples/cdn-bad-push.yaml --out /tmp/r1 --seed 7 --set faults[0].at=+30m\n"
      "  outagesim validate scenarios/examples/cdn-bad-push.yaml\n"
      "  outagesim new site-cdn-dns my-site\n"
      "  outagesim compare runs/cdn-bad-push-42 /tmp/r1 --out runs/what-if\n"
      "  outagesim reference > docs/scenario-reference.md\n"
      "  outagesim schema > outagesim.schema.json\n"
      "  outagesim sweep scenarios/sweeps/cloudflare-2025-12-05-seeds.yaml --out runs/seeds --jobs 2\n"
      "  source <(outagesim completion bash)\n"
      "Scripts: run, validate and compare take --json (one JSON object on stdout, docs/outputs.md) and --quiet.\n"
      "Exit codes (docs/exit-codes.md): 0 success, 1 internal error, 2 bad input or an output that cannot be\n"
      "written (file:line:column or the path on stderr), 3 a sweep ran but some of its runs failed,\n"
      "130 / 143 interrupted by SIGINT / SIGTERM (the run so far is written, its summary.json says\n"
      "\"status\": \"interrupted\").");

  cli::RunOptions run;
  std::string seed;
  auto* run_cmd = app.add_subcommand("run", "Simulate a scenario and write its run directory");
  run_cmd->add_option("scenario", run.scenario, "Scenario YAML file")->required();
  auto* run_out = run_cmd->add_option("--out", run.out, "Run directory (default: runs/<scenario>-<seed>)");
  run_cmd->add_option("--seed", seed, "Seed, overriding scenario.seed");
  run_cmd->add_flag("--force", run.force,
                    "Write into --out even if it holds a run made by another command line (replacing that run)");
  run_cmd->add_option("--set", run.overrides, "Override a scenario value: path=value (repeatable)")
      ->allow_extra_args(false);
  run_cmd->add_option("--observed", run.observed,
                      "Draw a published-series file over the simulated series in report.html, with its score "
                      "(repeatable; docs/published-series.md)");
  run_cmd->add_flag("--json", run.output.json, "Print the run's summary.json as one JSON object on stdout");
  run_cmd->add_flag("--quiet,-q", run.output.quiet, "Print nothing but errors, and no progress line");
  run_cmd->footer(
      "DIR/scenario.yaml is the scenario as it ran: `outagesim run DIR/scenario.yaml` reproduces the run.\n"
      "A directory holding the run of another command line is refused (exit 2) unless --force is given.\n"
      "Example:\n  outagesim run scenarios/examples/cdn-bad-push.yaml --out runs/try --set providers.cdn.channels.features.size=4MB");

  cli::ValidateOptions validate;
  std::string validate_seed;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario and print what it describes");
  validate_cmd->add_option("scenario", validate.scenario, "Scenario YAML file")->required();
  validate_cmd->add_option("--seed", validate_seed, "Seed, overriding scenario.seed (as run --seed)");
  validate_cmd->add_option("--set", validate.overrides, "Override a scenario value: path=value (repeatable)")
      ->allow_extra_args(false);
  validate_cmd->add_flag("--json", validate.output.json, "Print the verdict, diagnostics and timeline as JSON");
  validate_cmd->add_flag("--quiet,-q", validate.output.quiet, "Print nothing but errors: the exit code says");
  validate_cmd->add_flag("!--no-simulate", validate.simulate,
                         "Do not run the scenario to say when its failovers, health gates and detections trigger");
  validate_cmd->footer("Example:\n  outagesim validate scenarios/examples/cdn-bad-push.yaml");

  cli::CompareOptions compare;
  auto* compare_cmd = app.add_subcommand(
      "compare", "Compare two run directories: headline metrics side by side, availability and config reach overlaid");
  compare_cmd->add_option("run_a", compare.run_a, "Run directory A (the baseline)")->required();
  compare_cmd->add_option("run_b", compare.run_b, "Run directory B (the what-if)")->required();
  compare_cmd->add_option("--out", compare.out, "Output directory (default: runs/compare-<A name>-vs-<B name>)");
  compare_cmd->add_flag("--json", compare.output.json, "Print compare.json as one JSON object on stdout");
  compare_cmd->add_flag("--quiet,-q", compare.output.quiet, "Print nothing but errors");
  compare_cmd->footer(
      "Writes DIR/compare.html and DIR/compare.json (differences are B - A).\n"
      "Example:\n"
      "  outagesim run scenarios/examples/cdn-bad-push.yaml --out runs/a\n"
      "  outagesim run scenarios/examples/cdn-bad-push.yaml --out runs/b --set faults[0].at=+40m\n"
      "  outagesim compare runs/a runs/b --out runs/a-vs-b");

  cli::EnsembleOptions ensemble;
  auto* ensemble_cmd = app.add_subcommand(
      "ensemble", "Draw runs of one scenario with different seeds together: the median and its spread over the runs");
  ensemble_cmd->add_option("run_dirs", ensemble.run_dirs, "Run directories (at least two)")->required();
  ensemble_cmd->add_option("--out", ensemble.out, "Output directory (default: runs/ensemble-<scenario>)");
  ensemble_cmd->add_flag("--json", ensemble.output.json, "Print where the files are as one JSON object");
  ensemble_cmd->add_flag("--quiet,-q", ensemble.output.quiet, "Print nothing but errors");
  ensemble_cmd->footer(
      "Writes DIR/ensemble.html (median, 10-90% and min-max bands) and DIR/ensemble.csv.\n"
      "Example:\n"
      "  outagesim sweep scenarios/sweeps/cloudflare-2025-12-05-seeds.yaml --out runs/seeds --keep-runs\n"
      "  outagesim ensemble runs/seeds/runs/* --out runs/seeds-ensemble");

  auto* reference_cmd =
      app.add_subcommand("reference", "Print the scenario language reference (docs/scenario-reference.md) as Markdown");
  reference_cmd->footer("Example:\n  outagesim reference > docs/scenario-reference.md");

  auto* schema_cmd = app.add_subcommand(
      "schema", "Print a JSON Schema of scenario files, for editors with a YAML language server (docs/editor-support.md)");
  bool schema_sweep = false;
  schema_cmd->add_flag("--sweep", schema_sweep, "The schema of sweep specs (scenarios/sweeps/) instead");
  schema_cmd->footer("Example:\n  outagesim schema > outagesim.schema.json\n  outagesim schema --sweep > outagesim-sweep.schema.json");

  cli::SweepCommandOptions sweep;
  sweep.jobs = std::max(1u, std::thread::hardware_concurrency());
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "Run a sweep spec: many variants of a scenario, each in its own process; resumable (docs/experiments.md)");
  sweep_cmd->add_option("spec", sweep.spec, "Sweep spec YAML file (scenarios/sweeps/)")->required();
  sweep_cmd->add_option("--out", sweep.out, "Output directory (default: runs/sweep-<name>); rerun to resume");
  sweep_cmd->add_option("--jobs,-j", sweep.jobs, "Runs at a time (default: the number of cores)")
      ->check(CLI::Range(1u, 1024u));
  sweep_cmd->add_flag("--keep-runs", sweep.keep_all_runs, "Also write every run's full run directory, under DIR/runs/<id>");
  sweep_cmd->add_option("--keep-run", sweep.keep_runs, "Write the full run directory of these run ids only (repeatable, or comma-separated)")
      ->delimiter(',');
  sweep_cmd->add_flag("--mpi", sweep.mpi,
                      "Under mpirun: rank 0 hands the runs out to the other ranks one at a time (docs/clusters.md)");
  sweep_cmd->add_option("--shard", sweep.shard,
                        "I/N: run only the ids with id % N == I (a job array's task; merge with sweep-merge)");
  sweep_cmd->footer(
      "Writes DIR/results.csv, summary.csv, sensitivity.csv, timings.csv, failures.csv, manifest.json and report.html.\n"
      "On a cluster (docs/clusters.md): mpirun -np N outagesim sweep SPEC --mpi --out DIR, or one\n"
      "--shard I/N per job-array task into its own --out, then outagesim sweep-merge.\n"
      "Exit code 3: the sweep ran to its end but some runs failed (failures.csv).\n"
      "Example:\n  outagesim sweep scenarios/sweeps/cloudflare-2025-12-05-wave-size.yaml --out runs/waves --jobs 2");

  cli::SweepMergeOptions merge;
  auto* merge_cmd = app.add_subcommand(
      "sweep-merge", "Put the shards of one sweep (sweep --shard I/N) together and write its outputs (docs/clusters.md)");
  merge_cmd->add_option("shard_dirs", merge.shard_dirs, "Every shard's --out directory")->required();
  merge_cmd->add_option("--out", merge.out, "Output directory of the merged sweep")->required();
  merge_cmd->add_option("--spec", merge.spec,
                        "The sweep spec, if it moved since the shards ran (default: the path they recorded)");
  merge_cmd->footer(
      "Refuses (exit 2) shards of different specs or versions, a shard given twice or missing, and shards\n"
      "that have not finished. Writes the same files as a local sweep, byte-identical results.csv.\n"
      "Example:\n  outagesim sweep-merge runs/seeds-0 runs/seeds-1 runs/seeds-2 --out runs/seeds");

  cli::RiskCommandOptions risk;
  risk.jobs = sweep.jobs;
  auto* risk_cmd = app.add_subcommand(
      "risk", "The systemic-risk map: fail every provider, service, region and channel in turn, rank by blast radius (docs/risk.md)");
  risk_cmd->add_option("scenario", risk.scenario, "Scenario YAML file")->required();
  risk_cmd->add_option("--out", risk.out, "Output directory (default: runs/risk-<scenario>); rerun to resume");
  risk_cmd->add_option("--jobs,-j", risk.jobs, "Runs at a time (default: the number of cores)")->check(CLI::Range(1u, 1024u));
  risk_cmd->add_option("--fault", risk.faults, "Fault templates to apply (repeatable): outage, bad_push, regional (default: all)")
      ->check(CLI::IsMember({"outage", "bad_push", "regional"}));
  risk_cmd->add_option("--replications", risk.replications, "Runs per case, each with its own seed (default 1; more for a stochastic scenario)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  risk_cmd->add_option("--set", risk.overrides, "Override a scenario value before the map: path=value (repeatable)")
      ->allow_extra_args(false);
  risk_cmd->add_option("--vary", risk.vary,
                       "PATH=[V1, V2, ...]: run the map again at each level of a mitigation (a --set path), for "
                       "mitigation.csv and its curves in risk.html");
  risk_cmd->add_flag("--mpi", risk.mpi, "Under mpirun: hand the runs out over the ranks (docs/clusters.md)");
  risk_cmd->add_flag("--prepare", risk.prepare,
                     "Write the generated sweeps into DIR and stop, to run them on a SLURM array (docs/clusters.md)")
      ->excludes("--mpi");
  risk_cmd->footer(
      "Writes DIR/risk.csv (cases ranked by blast radius, with 95% intervals), DIR/concentration.csv and\n"
      "DIR/risk.html; with --vary, DIR/mitigation.csv. The runs are sweeps in DIR/experiment and\n"
      "DIR/mitigation (docs/experiments.md).\n"
      "Example:\n  outagesim risk scenarios/risk/small-web.yaml --out runs/risk --jobs 2 \\\n"
      "    --vary 'traffic.population.adoption.second_cdn=[0%, 25%, 50%, 75%, 100%]'");

  cli::NewOptions starter;
  auto* new_cmd = app.add_subcommand("new", "Write a starter scenario NAME.yaml from a template (never over a file)");
  new_cmd->add_option("template", starter.template_name, "The template")
      ->required()
      ->check(CLI::IsMember(cli::starter_template_names()));
  new_cmd->add_option("name", starter.name, "The scenario's name; written to NAME.yaml")->required();
  new_cmd->footer(cli::new_command_help());

  std::string shell;
  auto* completion_cmd = app.add_subcommand("completion", "Print a shell completion script (bash)");
  completion_cmd->add_option("shell", shell, "The shell: bash")->required()->check(CLI::IsMember({"bash"}));
  completion_cmd->footer("Example:\n  source <(outagesim completion bash)");

  if (argc > 1) {
    if (const std::string error = cli::unknown_subcommand_error(app, argv[1]); !error.empty()) {
      std::cerr << error << '\n';
      return cli::exit_bad_input;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? cli::exit_ok : cli::exit_bad_input;
  }

  try {
    if (*run_cmd) {
      if (run_out->count() > 0 && run.out.empty()) {
        std::cerr << "outagesim: error: --out: an empty path (leave --out out for the default runs/<scenario>-<seed>)\n";
        return cli::exit_bad_input;
      }
      if (!seed.empty()) run.overrides.push_back("scenario.seed=" + seed);
      run.command_line.assign(argv, argv + argc);
      return cli::run_command(run);
    }
    if (*compare_cmd) return cli::compare_command(compare);
    if (*ensemble_cmd) return cli::ensemble_command(ensemble);
    if (*reference_cmd) {
      std::cout << scenario::scenario_reference_markdown();
      return cli::exit_ok;
    }
    if (*sweep_cmd) return cli::sweep_command(sweep);
    if (*merge_cmd) return cli::sweep_merge_command(merge);
    if (*risk_cmd) return cli::risk_command(risk);
    if (*schema_cmd) {
      std::cout << (schema_sweep ? scenario::sweep_json_schema() : scenario::scenario_json_schema());
      return cli::exit_ok;
    }
    if (*new_cmd) return cli::new_command(starter);
    if (*completion_cmd) {
      std::cout << cli::bash_completion(app);
      return cli::exit_ok;
    }
    if (!validate_seed.empty()) validate.overrides.push_back("scenario.seed=" + validate_seed);
    return cli::validate_command(validate);
  } catch (const metrics::OutputError& e) {
    // A full disk, a read-only file system: the user's to fix, not a bug.
    std::cerr << "outagesim: error: " << e.what() << '\n';
    return cli::exit_bad_input;
  } catch (const std::exception& e) {
    std::cerr << "outagesim: internal error: " << e.what() << '\n';
    return cli::exit_internal_error;
  }
}
