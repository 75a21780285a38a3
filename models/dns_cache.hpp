// What the clients of a cached name hold at one instant, as a fluid: each
// client's resolver refreshes its answer once per TTL, and the refresh times
// are spread uniformly over the TTL (answers were fetched at every moment
// before). When the authoritative answer changes at t0, the share of clients
// still on the old answer therefore falls linearly from 1 to 0 over one TTL;
// when the authoritative server is unreachable, answers that expire are
// served stale for up to `serve_stale` (RFC 8767) and fail after that. An
// authority under query load that answers only part of the refreshes is an
// outage for that share of the resolvers. docs/models/dns.md derives each
// rule and gives its sources.
#pragma once

#include <span>
#include <utility>
#include <vector>

namespace outagesim::models {

/// From `from_s` until the next span, the authoritative server answers
/// `answer`. Answers are opaque ids to this model (the engine uses a service
/// index, and -1 for an empty record, which is an answer like any other).
struct AnswerSpan {
  double from_s = 0;
  int answer = -1;
};

/// The authoritative server could not be reached during [from_s, to_s);
/// to_s is +infinity while the outage lasts. `cause` is an opaque id of what
/// cut the clients off, for whoever charges the failures (the engine: a
/// partition's fault index), -1 when unknown; this model does not read it.
struct Unreachable {
  double from_s = 0;
  double to_s = 0;
  int cause = -1;
};

/// During [from_s, to_s) the authoritative server answered only `answered`
/// of the resolvers' refresh attempts (0 < answered < 1; after the
/// resolvers' own retries): an overloaded or partly failing authority. The
/// same resolvers are taken to miss throughout (the ones whose queries the
/// servers drop), so a span of `answered` a is an outage for a share 1 - a of
/// them and nothing for the rest; to_s is +infinity while it lasts. `cause`
/// is opaque to this model, as Unreachable's.
struct PartlyAnswered {
  double from_s = 0;
  double to_s = 0;
  double answered = 1;
  int cause = -1;
};

/// Share of clients per answer at one instant; `unresolved` is the share
/// whose answer expired and could no longer be served stale (SERVFAIL).
/// The shares and `unresolved` sum to 1.
struct CachedAnswers {
  std::vector<std::pair<int, double>> shares;  ///< (answer, share), each answer once
  double unresolved = 0;

  [[nodiscard]] double share_of(int answer) const;
};

/// Share of clients still holding the answer given before a change made
/// `since_change_s` ago (the authoritative server reachable throughout).
double previous_answer_share(double since_change_s, double ttl_s);

/// Share of clients that cannot resolve `since_outage_s` into an outage of
/// the authoritative server that is still going on: answers expire uniformly
/// over one TTL and each is served stale for `serve_stale_s` after expiring.
double unresolved_share(double since_outage_s, double ttl_s, double serve_stale_s);

/// Refresh queries per second a record brings its authoritative server:
/// each of `resolvers` caches refreshes the record once per TTL, and only
/// when a client asks for it, so never more than the clients' request rate
/// `requests_rps` through it. A longer TTL never raises it.
double refresh_query_rps(double resolvers, double ttl_s, double requests_rps);

/// The general case, exact for any history: what the clients hold at `t_s`.
/// `history` is sorted by time and its first span covers every time before
/// the others (start it at -infinity); `unreachable` is sorted and disjoint.
/// A client whose refresh fell inside an outage that has ended refreshed
/// when it ended and then kept its refresh phase.
CachedAnswers cached_answers(std::span<const AnswerSpan> history, std::span<const Unreachable> unreachable,
                             double ttl_s, double serve_stale_s, double t_s);

/// The same with a partial answer rate: resolver u (uniform in (0, 1]) cannot
/// refresh while the authority is unreachable or answers less than u of the
/// attempts, so the clients hold the mean over u of cached_answers with
/// those outages (exact: piecewise constant in u between the `partly`
/// spans' answered shares). `partly` sorted by from_s, disjoint. With no
/// `partly` span this is cached_answers above, exactly; a span answering
/// 0 would be an Unreachable one.
CachedAnswers cached_answers(std::span<const AnswerSpan> history, std::span<const Unreachable> unreachable,
                             std::span<const PartlyAnswered> partly, double ttl_s, double serve_stale_s, double t_s);

/// Several populations of clients taken together, `parts[i]` weighing
/// `weights[i]` (the weights sum to 1): the resolvers of each client region,
/// each region weighing its share of the requests. Answers keep their order
/// of first appearance.
CachedAnswers mix(std::span<const CachedAnswers> parts, std::span<const double> weights);

}  // namespace outagesim::models
