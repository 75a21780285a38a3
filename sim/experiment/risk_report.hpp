// risk.html of `outagesim risk` (docs/risk.md, docs/outputs.md): the ranked
// blast radii with their intervals, the concentration per provider role
// beside the published figures, and the mitigation curves with their knees.
// Self-contained like report.html: inline SVG, no scripts.
#pragma once

#include "concentration.hpp"
#include "risk_map.hpp"

#include <optional>
#include <string>
#include <vector>

namespace outagesim::experiment {

struct RiskReport {
  std::string scenario;
  double fault_at_s = 0, fault_for_s = 0;  ///< the templates' timing
  std::size_t runs = 0, failed = 0;         ///< the map's
  std::vector<RiskRow> rows;                ///< ranked
  std::vector<ConcentrationRow> concentration;
  std::optional<RiskVariation> vary;
  std::vector<MitigationPoint> curves;  ///< with `vary`
};

std::string render_risk_report(const RiskReport& report);

}  // namespace outagesim::experiment
