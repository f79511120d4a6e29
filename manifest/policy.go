package manifest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Governance concerns the mesh can take over from the code.
const (
	concernRetry     = "retry"
	concernTimeout   = "timeout"
	concernBreaker   = "breaker"
	concernRateLimit = "ratelimit"
)

// concernAliases maps the spellings a governance detector may use, with
// case and separators removed, to the concern the mesh implements.
var concernAliases = map[string]string{
	"retry": concernRetry, "retries": concernRetry, "backoff": concernRetry,
	"timeout": concernTimeout, "timeouts": concernTimeout, "deadline": concernTimeout,
	"breaker": concernBreaker, "circuitbreaker": concernBreaker, "circuitbreaking": concernBreaker,
	"outlier": concernBreaker, "outlierdetection": concernBreaker,
	"ratelimit": concernRateLimit, "ratelimiting": concernRateLimit, "ratelimiter": concernRateLimit,
	"bulkhead": concernRateLimit, "concurrencylimit": concernRateLimit, "connectionpool": concernRateLimit,
}

// Defaults for settings the governance detector did not find. Retries are
// only for failures that happen before the server acted (reset, refused,
// unavailable) or that HTTP marks as server errors.
var settingDefaults = map[string]string{
	"retry.attempts":             "3",
	"retry.per_try_timeout":      "2s",
	"timeout.request":            "10s",
	"breaker.consecutive_errors": "5",
	"breaker.interval":           "10s",
	"breaker.ejection_time":      "30s",
	"ratelimit.max_connections":  "100",
	"ratelimit.max_pending":      "100",
	"ratelimit.max_requests":     "100",
}

// A policy is a unit's governance as a mesh enforces it: only the concerns
// found for the unit are set.
type policy struct {
	retries                       int
	perTry, timeout               string
	breakerErrors                 int
	breakerInterval, ejectionTime string
	maxConns, maxPending, maxReqs int
	concerns                      []string // mesh concerns, sorted
	kept                          []string // concerns no mesh object replaces: they stay in code
}

func (p policy) has(concern string) bool { return slices.Contains(p.concerns, concern) }

// normalConcern returns the mesh concern a detected one stands for, or "".
func normalConcern(s string) string {
	key := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == ' ' || r == '.' {
			return -1
		}
		return r
	}, strings.ToLower(s))
	return concernAliases[key]
}

// policyOf reads the governance of unit u and its settings.
func policyOf(u unit) (policy, error) {
	var p policy
	for _, g := range u.svc.Governance {
		if c := normalConcern(g); c != "" {
			if !slices.Contains(p.concerns, c) {
				p.concerns = append(p.concerns, c)
			}
		} else if !slices.Contains(p.kept, g) {
			p.kept = append(p.kept, g)
		}
	}
	slices.Sort(p.concerns)
	slices.Sort(p.kept)
	s := settings{given: u.svc.GovernanceSettings}
	p.retries = s.count("retry.attempts")
	p.perTry = s.duration("retry.per_try_timeout")
	p.timeout = s.duration("timeout.request")
	p.breakerErrors = s.count("breaker.consecutive_errors")
	p.breakerInterval = s.duration("breaker.interval")
	p.ejectionTime = s.duration("breaker.ejection_time")
	p.maxConns = s.count("ratelimit.max_connections")
	p.maxPending = s.count("ratelimit.max_pending")
	p.maxReqs = s.count("ratelimit.max_requests")
	if s.err != nil {
		return policy{}, fmt.Errorf("service %q: %w", u.svc.Name, s.err)
	}
	return p, nil
}

// settings reads governance settings, falling back to the defaults, and
// keeps the first malformed one.
type settings struct {
	given map[string]string
	err   error
}

func (s *settings) raw(key string) string {
	if v, ok := s.given[key]; ok && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	}
	return settingDefaults[key]
}

func (s *settings) count(key string) int {
	n, err := strconv.Atoi(s.raw(key))
	if (err != nil || n < 1) && s.err == nil {
		s.err = fmt.Errorf("governance setting %s=%q: want a positive whole number", key, s.raw(key))
	}
	return n
}

// duration returns the setting in seconds, "1.5s": the JSON form of a
// protobuf Duration, which Istio requires, and a Go duration, which
// Linkerd reads.
func (s *settings) duration(key string) string {
	d, err := time.ParseDuration(s.raw(key))
	if (err != nil || d < time.Millisecond) && s.err == nil {
		s.err = fmt.Errorf("governance setting %s=%q: want a duration of at least 1ms such as 2s", key, s.raw(key))
	}
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}
