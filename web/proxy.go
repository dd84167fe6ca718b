package web

import (
	"net"
	"net/http"

	"github.com/labstack/echo/v4"
)

// trustedProxies decides whose forwarded headers count.
type trustedProxies []*net.IPNet

// ipExtractor reads the client address from X-Forwarded-For only when the
// peer is a trusted proxy. Echo's XFF extractor trusts loopback and private
// ranges by default; rate limits keyed on a forged address would be
// worthless, so those defaults are switched off.
func (p trustedProxies) ipExtractor() echo.IPExtractor {
	if len(p) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range p {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// trusts reports whether the request's TCP peer is a trusted proxy.
func (p trustedProxies) trusts(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, n := range p {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// https reports whether the client reached us over TLS, directly or via a
// trusted proxy that says so.
func (p trustedProxies) https(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return p.trusts(r) && r.Header.Get("X-Forwarded-Proto") == "https"
}

// secureCookies reports whether a cookie set in answer to r gets the
// Secure flag, for SECURE_COOKIES mode (auto, true or false).
func (p trustedProxies) secureCookies(mode string, r *http.Request) bool {
	switch mode {
	case "true":
		return true
	case "auto":
		return p.https(r)
	}
	return false
}
