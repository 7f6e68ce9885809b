package review

import (
	"context"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/catalog"
)

// Catalog is what intake needs to know of the service catalogue.
type Catalog interface {
	Item(ctx context.Context, code string) (catalog.Item, error)
	Unit(ctx context.Context, code string) (catalog.Unit, error)
	Place(ctx context.Context, workstation string) (catalog.Place, error)
}

// Resolve checks r's codes against the catalogue and fills in what they
// imply: a workstation gives the hall, window, staff and the unit running
// the hall; otherwise the item gives its owning unit. A unit named in the
// review wins over both.
func Resolve(ctx context.Context, cat Catalog, r *Review) error {
	item, err := cat.Item(ctx, r.Item)
	if err != nil {
		return asInvalid(err)
	}
	if _, ok := item.Stage(r.Stage); !ok {
		return apperr.Invalidf("stage", "item %s has no stage %q", r.Item, r.Stage)
	}
	unit := item.Unit
	if r.Workstation != "" {
		p, err := cat.Place(ctx, r.Workstation)
		if err != nil {
			return asInvalid(err)
		}
		r.Hall, r.Window, r.District, unit = p.Hall.Code, p.Window.Code, p.Hall.District, p.Hall.Unit
		if p.Staff != nil {
			r.Staff = p.Staff.Code
		}
	}
	if r.Unit != "" {
		unit = r.Unit
	}
	u, err := cat.Unit(ctx, unit)
	if err != nil {
		return asInvalid(err)
	}
	r.Unit = u.Code
	if r.District == "" {
		r.District = u.District
	}
	return nil
}

// asInvalid turns "not found" into "invalid": an unknown code in a review is
// a bad value in the request, not a missing resource.
func asInvalid(err error) error {
	if e := apperr.As(err); e != nil && e.Code == apperr.NotFound {
		return apperr.Invalidf(e.Field, "%s", e.Message)
	}
	return err
}

// Source is what intake reads: the catalogue and the dimension set in force.
type Source interface {
	Catalog
	ActiveDimensionSet(ctx context.Context) (DimensionSet, error)
}

// Accept checks a submission and resolves it against the catalogue,
// returning the review ready to store.
func Accept(ctx context.Context, src Source, sub *Submission) (*Review, error) {
	set, err := src.ActiveDimensionSet(ctx)
	if err != nil {
		return nil, err
	}
	r, err := sub.Check(set)
	if err != nil {
		return nil, err
	}
	if err := Resolve(ctx, src, r); err != nil {
		return nil, err
	}
	return r, nil
}
