// Package api serves Haocha's JSON API: review intake, statistics and the
// catalogue.
package api

import (
	"log/slog"
	"net/http"

	"github.com/haocha/haocha/internal/board"
	"github.com/haocha/haocha/internal/citizen"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/intake"
	"github.com/haocha/haocha/internal/route"
	"github.com/haocha/haocha/internal/store"
)

// API holds what the handlers need.
type API struct {
	Store *store.Store
	Log   *slog.Logger
	// Intake takes reviews in, as it does for the rating forms.
	Intake *intake.Service
	// Boards, when set, holds the published boards GET /api/v1/index and
	// /api/v1/indicators answer from, the pages' cache; nil computes
	// each request.
	Boards *board.Cache
	// Figures, when set, is the store public figures (index boards,
	// statistics) are counted on: a read replica (--db-read). Nil: Store.
	Figures *store.Store
	// Citizens signs citizens in; nil offers no sign-in.
	Citizens *citizen.Service
}

// Register adds the API's routes to mux.
func (a *API) Register(mux *route.Mux) {
	a.registerDocument(mux)
	mux.Handle("POST /api/v1/reviews", route.Public, a.handle(a.createReview))
	if a.Citizens != nil {
		a.registerCitizen(mux)
	}
	mux.Handle("GET /api/v1/stats", route.Public, a.handle(a.stats))
	mux.Handle("GET /api/v1/index", route.Public, a.handle(a.indexBoard))
	mux.Handle("GET /api/v1/indicators", route.Public, a.handle(a.indicators))
	mux.Handle("GET /api/v1/index/definition", route.Public, a.handle(a.indexDefinition))
	mux.Handle("GET /api/v1/units", route.Public, a.handle(a.units))
	mux.Handle("GET /api/v1/units/{code}", route.Public, a.handle(a.unit))
	mux.Handle("GET /api/v1/items", route.Public, a.handle(a.items))
	mux.Handle("GET /api/v1/items/{code}", route.Public, a.handle(a.item))
	mux.Handle("GET /api/v1/workstations/{code}", route.Public, a.handle(a.workstation))
	mux.Handle("GET /api/v1/dimensions", route.Public, a.handle(a.dimensions))
	mux.Handle("GET /api/v1/causes", route.Public, a.handle(a.causes))
	mux.HandleFunc("GET /healthz", route.Public, func(w http.ResponseWriter, r *http.Request) {
		if err := a.Store.DB().PingContext(r.Context()); err != nil {
			httpjson.Write(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
			return
		}
		httpjson.Write(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// handlerFunc is an API handler: it returns an error rather than writing one.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (a *API) handle(h handlerFunc) http.Handler { return httpjson.Handler(a.Log, h) }

// figures is the store public figures are counted on.
func (a *API) figures() *store.Store {
	if a.Figures != nil {
		return a.Figures
	}
	return a.Store
}
