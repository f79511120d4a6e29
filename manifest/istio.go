package manifest

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The Istio networking.istio.io/v1 kinds podsplit writes, reduced to the
// fields it sets. Field names and JSON tags follow the Istio API.
const istioNetworking = "networking.istio.io/v1"

// virtualService routes traffic to a host, with retries and timeouts.
type virtualService struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              virtualServiceSpec `json:"spec"`
}

type virtualServiceSpec struct {
	Hosts []string    `json:"hosts"`
	HTTP  []httpRoute `json:"http,omitempty"`
}

type httpRoute struct {
	Name    string                 `json:"name,omitempty"`
	Match   []httpMatchRequest     `json:"match,omitempty"`
	Route   []httpRouteDestination `json:"route"`
	Timeout string                 `json:"timeout,omitempty"`
	Retries *httpRetry             `json:"retries,omitempty"`
}

type httpMatchRequest struct {
	Port uint32 `json:"port,omitempty"`
}

type httpRouteDestination struct {
	Destination destination `json:"destination"`
}

type destination struct {
	Host string        `json:"host"`
	Port *portSelector `json:"port,omitempty"`
}

type portSelector struct {
	Number uint32 `json:"number"`
}

type httpRetry struct {
	Attempts      int32  `json:"attempts"`
	PerTryTimeout string `json:"perTryTimeout,omitempty"`
	RetryOn       string `json:"retryOn,omitempty"`
}

// destinationRule sets the traffic policy for a host: circuit breaking
// (outlier detection) and connection pool limits.
type destinationRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              destinationRuleSpec `json:"spec"`
}

type destinationRuleSpec struct {
	Host          string         `json:"host"`
	TrafficPolicy *trafficPolicy `json:"trafficPolicy,omitempty"`
}

type trafficPolicy struct {
	ConnectionPool   *connectionPoolSettings `json:"connectionPool,omitempty"`
	OutlierDetection *outlierDetection       `json:"outlierDetection,omitempty"`
}

type connectionPoolSettings struct {
	TCP  *tcpSettings  `json:"tcp,omitempty"`
	HTTP *httpSettings `json:"http,omitempty"`
}

type tcpSettings struct {
	MaxConnections int32 `json:"maxConnections,omitempty"`
}

type httpSettings struct {
	HTTP1MaxPendingRequests int32 `json:"http1MaxPendingRequests,omitempty"`
	HTTP2MaxRequests        int32 `json:"http2MaxRequests,omitempty"`
}

type outlierDetection struct {
	Consecutive5xxErrors uint32 `json:"consecutive5xxErrors,omitempty"`
	Interval             string `json:"interval,omitempty"`
	BaseEjectionTime     string `json:"baseEjectionTime,omitempty"`
}
