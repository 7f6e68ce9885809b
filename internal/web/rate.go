package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/haocha/haocha/internal/apperr"
	"github.com/haocha/haocha/internal/caller"
	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/httpjson"
	"github.com/haocha/haocha/internal/review"
)

// maxForm bounds a posted review form, as the API bounds a JSON body.
const maxForm = httpjson.MaxBody

// rateForm is the rating form, whichever way the citizen came in.
type rateForm struct {
	page
	Action string // where the form posts, and where the item search gets
	Token  string // the workstation QR token, carried through the post
	Proof  string // the rating device's per-transaction proof, carried too
	// NeedsProof: a workstation's printed code without a proof of this
	// visit; the page says how to rate the window, or the item without it.
	NeedsProof bool
	Src        string // the ?src= the page was reached with
	CSRF       string

	Place *catalog.Place // rated at a workstation
	Item  *catalog.Item  // rated from the item's guide
	Unit  *catalog.Unit  // rated from a unit page

	Items  []catalog.Item // the item picker: the hall's items at a workstation
	Others []catalog.Item // at a workstation, the items the hall does not list
	Query  string         // what the picker was narrowed by
	Stages []catalog.Stage
	Dims   []review.Dimension
	Tags   []review.Tag

	V       formValues
	Err     *fieldError
	Expired bool // the form token did not check out: ask to submit again
	// AskDetails: a bad review came without a problem or comment; the
	// form asks for them and offers to send it as it is.
	AskDetails bool
	// Txn is the transaction the form opens on (?txn=, from the rating
	// device's code): filled in, so the review is of that transaction.
	Txn string
	// Invitation is the transaction an invitation's link rates (invite.go).
	Invitation *inviteView
	// claim, when set, is taken before the review is stored and told its
	// id after (0: refused): an invitation's link rates once.
	claim func(context.Context) (func(context.Context, int64) error, error)
}

// formValues is what the citizen typed, kept when the form comes back.
type formValues struct {
	Item, Stage string
	Stars       int
	Dims        map[string]int
	Tags        map[review.Tag]bool
	Comment     string
	Anonymous   bool
	Name, Phone string
	Transaction string
	Bare        bool // the citizen chose to send a bad review without details
}

// fieldError is the one problem shown next to its field.
type fieldError struct {
	Field   string // the id of the control in error
	Message string
}

// ErrFor returns the error message for the control with id, if any.
func (f *rateForm) ErrFor(id string) string {
	if f.Err != nil && f.Err.Field == id {
		return f.Err.Message
	}
	return ""
}

// rate shows the form (GET) or takes it in (POST). fill sets what the entry
// point decides: channel, workstation, item or unit.
func (w *Web) rate(rw http.ResponseWriter, r *http.Request, f *rateForm, fill func(*review.Submission)) error {
	ctx := r.Context()
	who := w.citizenOf(r)
	f.SignedIn = who != ""
	set, err := w.store.ActiveDimensionSet(ctx)
	if err != nil {
		return err
	}
	f.Dims, f.Tags = set.Dimensions, review.Tags
	if r.Method != http.MethodPost {
		// No stage is preselected: a guess the citizen does not notice
		// would file the review under a stage they did not mean.
		f.V = formValues{Anonymous: true, Transaction: f.Txn}
		if f.Item != nil {
			f.V.Item = f.Item.Code
		}
		if len(f.Items) == 1 && len(f.Others) == 0 {
			f.V.Item = f.Items[0].Code
		}
		if f.Invitation != nil && len(f.Stages) == 1 {
			f.V.Stage = f.Stages[0].Code
		}
		f.CSRF = w.formToken(rw, r)
		return w.render(rw, r, http.StatusOK, "rate", f)
	}

	f.V = readValues(r, set)
	f.CSRF = w.formToken(rw, r)
	if !w.formTokenOK(r) {
		f.Expired = true
		return w.render(rw, r, http.StatusForbidden, "rate", f)
	}
	if needsDetails(f.V) {
		f.AskDetails = true
		f.Err = &fieldError{Field: "tags", Message: f.L.T("rate.bad.ask")}
		return w.render(rw, r, http.StatusUnprocessableEntity, "rate", f)
	}
	anon := f.V.Anonymous
	sub := &review.Submission{
		Item: f.V.Item, Stage: f.V.Stage, Stars: f.V.Stars, Dimensions: f.V.Dims,
		Comment: f.V.Comment, Anonymous: &anon, Transaction: f.V.Transaction,
	}
	if !anon {
		sub.Name, sub.Phone = f.V.Name, f.V.Phone
	}
	for t, on := range f.V.Tags {
		if on {
			sub.Tags = append(sub.Tags, string(t))
		}
	}
	fill(sub)
	sub.CitizenHash = who
	var done func(context.Context, int64) error
	if f.claim != nil {
		if done, err = f.claim(ctx); err != nil {
			return err
		}
	}
	got, err := w.intake.Submit(ctx, *sub, caller.Client(r))
	if done != nil {
		if derr := done(context.WithoutCancel(ctx), got.ID); derr != nil && err == nil {
			return derr
		}
	}
	if err != nil {
		e := apperr.As(err)
		if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict && e.Code != apperr.TooMany && !proofRefused(e)) {
			return err
		}
		f.Err = fieldErrorOf(f.L, e)
		return w.render(rw, r, httpjson.Status(e.Code), "rate", f)
	}
	if sub.CitizenHash != "" {
		w.citizens.Own(ctx, sub.CitizenHash, got.ID)
	}
	rc := receipt{Stars: got.Stars, Item: got.Item, Stage: got.Stage, Scores: got.Scores, SentTo: got.LinkSentTo}
	if got.WorkOrder != nil {
		rc.WorkOrder, rc.Token = got.WorkOrder.Number, got.WorkOrder.Token
	}
	w.setReceipt(rw, rc)
	http.Redirect(rw, r, "/thanks", http.StatusSeeOther)
	return nil
}

// needsDetails reports whether a bad review is about to be sent with
// nothing to act on: without a problem or a comment it opens no work
// order, so the form asks first, unless the citizen chose to send it so.
func needsDetails(v formValues) bool {
	if v.Stars < 1 || !(&review.Review{Stars: v.Stars}).Bad() || v.Bare || strings.TrimSpace(v.Comment) != "" {
		return false
	}
	for _, on := range v.Tags {
		if on {
			return false
		}
	}
	return true
}

// readValues reads the posted form. Values that do not parse are kept as
// zero and left for review.Accept to refuse with the same rules as the API.
func readValues(r *http.Request, set review.DimensionSet) formValues {
	v := formValues{
		Item:        r.PostFormValue("item"),
		Stage:       r.PostFormValue("stage"),
		Comment:     r.PostFormValue("comment"),
		Anonymous:   r.PostFormValue("anonymous") != "0",
		Name:        r.PostFormValue("name"),
		Phone:       r.PostFormValue("phone"),
		Transaction: r.PostFormValue("transaction"),
		Bare:        r.PostFormValue("bare") == "1",
		Dims:        map[string]int{},
		Tags:        map[review.Tag]bool{},
	}
	v.Stars, _ = strconv.Atoi(r.PostFormValue("stars"))
	for _, d := range set.Dimensions {
		if n, err := strconv.Atoi(r.PostFormValue("dim-" + d.Code)); err == nil && n != 0 {
			v.Dims[d.Code] = n
		}
	}
	for _, t := range r.PostForm["tags"] {
		v.Tags[review.Tag(t)] = true
	}
	return v
}

// fieldErrorOf turns a refusal into a message next to the field at fault,
// in the page's language.
func fieldErrorOf(l locale, e *apperr.Error) *fieldError {
	field := e.Field
	key := field
	if proofRefused(e) {
		key += ".proof"
	}
	if d, ok := strings.CutPrefix(field, "dimensions."); ok {
		field, key = "dim-"+d, "dimensions"
	}
	switch field {
	case "client":
		field = "submit" // too many reviews from this device: say it by the button
	case "", "unit", "channel", "reviewer_kind", "workstation":
		field = "stars" // nothing the citizen typed: say it at the top field
	}
	msg := l.T("err." + key)
	if msg == "err."+key {
		msg = e.Message
	}
	return &fieldError{Field: field, Message: msg}
}

// proofRefused reports whether e refuses a transaction or workstation the
// reviewer could not show was theirs: the form says how to show it.
func proofRefused(e *apperr.Error) bool {
	return e.Code == apperr.Forbidden && (e.Field == "transaction" || e.Field == "workstation")
}

// parseForm reads a posted form of at most maxForm bytes.
func parseForm(rw http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	r.Body = http.MaxBytesReader(rw, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Malformed, "body", "unreadable form: %v", err)
	}
	return nil
}
