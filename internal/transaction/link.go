package transaction

import (
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/review"
)

// Link makes sub a review of t: its item, stage, unit and workstation come
// from t. A code the client sent that disagrees with t is refused, naming
// the field, so a review cannot be moved onto another unit or desk by
// quoting a transaction number. A stage may be left out when t has one.
func Link(t *Transaction, sub *review.Submission) error {
	for _, f := range []struct {
		field     string
		got, want *string
	}{
		{"item", &sub.Item, &t.Item},
		{"unit", &sub.Unit, &t.Unit},
		{"workstation", &sub.Workstation, &t.Workstation},
	} {
		got := strings.TrimSpace(*f.got)
		if got != "" && got != *f.want {
			return apperr.Invalidf(f.field, "transaction %s was served with %s %q, not %q", t.Number, f.field, *f.want, got)
		}
		*f.got = *f.want
	}
	stage := strings.TrimSpace(sub.Stage)
	switch {
	case stage == "" && len(t.Stages) == 1:
		stage = t.Stages[0]
	case stage == "":
		return apperr.Invalidf("stage", "required: transaction %s has stages %s", t.Number, strings.Join(t.Stages, ", "))
	case !t.HasStage(stage):
		return apperr.Invalidf("stage", "transaction %s has no stage %q", t.Number, stage)
	}
	sub.Stage = stage
	return nil
}

// Fill sets what the catalogue cannot tell of a review of t: the staff
// member who served it, which the business system reported.
func Fill(t *Transaction, r *review.Review) {
	if t.Staff != "" {
		r.Staff = t.Staff
	}
}
