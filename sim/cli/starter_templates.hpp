// Starter scenarios for the common questions, written by `outagesim new
// TEMPLATE NAME`: each a complete, valid scenario with comments saying what
// to change, so that a first scenario starts from one that runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace outagesim::cli {

struct StarterTemplate {
  std::string_view name;      ///< what `outagesim new` takes: "site-cdn-dns"
  std::string_view question;  ///< the question it answers, for --help
  std::string_view text;      ///< the scenario, with @NAME@ where its name goes
};

/// Every starter template, in the order --help lists them.
const std::vector<StarterTemplate>& starter_templates();

/// The template's text with its name filled in.
std::string instantiate(const StarterTemplate& t, const std::string& scenario_name);

}  // namespace outagesim::cli
