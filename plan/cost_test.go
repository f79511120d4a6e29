package plan

import "testing"

func TestSignatureBytes(t *testing.T) {
	for _, tc := range []struct {
		sig  string
		want int
	}{
		{"func (*Service).Reserve(ctx context.Context, orderID string, items map[string]int64) error", 0 + 32 + 8*(32+8) + 32},
		{"func New(minor int64, c Currency) Money", 8 + 64 + 64},
		{"func(tx *database/sql.Tx) error", 64 + 32},
		{"func (Money).IsZero() bool", 1},
		{"func Put(b []byte, n [4]int32)", 256 + 16},
		{"func F(xs ...string) (int, error)", 8 + 8*32 + 8 + 32},
		{"func Watch(ch chan<- Event, f func(int))", 0},
	} {
		if got := signatureBytes(tc.sig); got != tc.want {
			t.Errorf("signatureBytes(%q) = %d, want %d", tc.sig, got, tc.want)
		}
	}
}

func TestFormatUS(t *testing.T) {
	for us, want := range map[float64]string{0.16: "0.16µs", 30: "30µs", 30200: "30.2ms", 3619200: "3.62s", 50000: "50ms"} {
		if got := formatUS(us); got != want {
			t.Errorf("formatUS(%v) = %q, want %q", us, got, want)
		}
	}
}

func TestTreeDomains(t *testing.T) {
	dirs := []string{
		"", "cmd/shop", "cmd/notifyd", "orders", "orders/store", "catalog", "catalog/search",
		"internal/billing/app", "internal/billing/adapters", "internal/billing/domain/invoice",
		"internal/users", "services/geo", "services/geo/proto", "services/rate", "pkg/log", "go/vt/vtgate", "go/vt/vtgate/engine", "single/only/deep", "go/vt/vttablet",
	}
	tr := newTree(dirs)
	for dir, want := range map[string]string{
		"":                                "",
		"cmd/shop":                        "cmd/shop",
		"orders/store":                    "orders",
		"catalog/search":                  "catalog",
		"internal/billing/adapters":       "internal/billing", // a domain of layers
		"internal/billing/domain/invoice": "internal/billing",
		"internal/users":                  "internal/users",
		"services/geo/proto":              "services/geo",
		"pkg/log":                         "pkg/log",
		"go/vt/vtgate/engine":             "go/vt/vtgate",
	} {
		if got := tr.domain(dir); got != want {
			t.Errorf("domain(%q) = %q, want %q", dir, got, want)
		}
	}
}

func TestTreeLayouts(t *testing.T) {
	// internal/app holds the domains and internal/pkg the libraries: internal
	// is a container although "app" and "pkg" are layer names.
	tr := newTree([]string{"internal/app/orders", "internal/app/users", "internal/pkg/log", "internal/pkg/db"})
	if got := tr.domain("internal/app/orders"); got != "internal/app/orders" {
		t.Errorf("domain = %q", got)
	}
	// Layer-first: one domain per name across the layers.
	tr = newTree([]string{"internal/handler/orders", "internal/handler/users", "internal/repository/orders", "internal/repository/users", "cmd/orders"})
	for _, dir := range []string{"internal/handler/orders", "internal/repository/orders", "cmd/orders"} {
		if got := key(tr.domain(dir)); got != "orders" {
			t.Errorf("key(domain(%q)) = %q, want orders", dir, got)
		}
	}
	// A service root with cmd/, internal/ and pkg/ of its own is one domain.
	tr = newTree([]string{"services/orders/cmd/server", "services/orders/internal/domain", "services/orders/internal/adapters", "services/users/internal/app"})
	if got := tr.domain("services/orders/internal/adapters"); got != "services/orders" {
		t.Errorf("domain = %q, want services/orders", got)
	}
}

func TestSameName(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"cmd/notifyd", "notifications", true},
		{"orders-service", "orders", true},
		{"ordersvc", "order", true},
		{"vtctld", "vtctl", true},
		{"catalog", "category", false},
		{"inventory", "invoice", false},
		{"api", "apps", false},
	} {
		if got := sameName(tc.a, tc.b); got != tc.want {
			t.Errorf("sameName(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}
