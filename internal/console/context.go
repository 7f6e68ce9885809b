package console

import (
	"context"
	"net/http"
)

func contextWith(r *http.Request, wh *who) context.Context {
	return context.WithValue(r.Context(), whoKey{}, wh)
}
