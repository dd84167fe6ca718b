package views

import (
	"context"
	"strings"
)

// currentPage is the aria-current value for a nav link to path.
func currentPage(ctx context.Context, path string) string {
	if p := RequestFrom(ctx).Path; p == path || strings.HasPrefix(p, path+"/") {
		return "page"
	}
	return "false"
}
