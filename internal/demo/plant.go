package demo

import (
	"time"

	"github.com/haocha/haocha/internal/catalog"
	"github.com/haocha/haocha/internal/review"
)

// planter concentrates a few of the demo's bad reviews so that the
// default concentration rules find something: of the bad reviews with a
// comment in the last six days, the first three move to one workstation
// and one item (one unit and item ≥ 3, one workstation and one staff
// member ≥ 2), and the next five to other workstations of the same hall,
// all about service attitude (one hall and tag ≥ 5). Reviews are moved,
// not added, and draw nothing from the random source, so the headline
// figures and every other review stay as they were.
type planter struct {
	from  time.Time
	done  int
	seats []catalog.Workstation // the hall's workstations, the first for the first three
	hall  catalog.Hall
	item  string
	stage string
}

const planted = 8

func newPlanter(c *catalog.Catalog, items map[string]catalog.Item, halls map[string]catalog.Hall, windowHall map[string]string, hallItems map[string][]string, from time.Time) *planter {
	p := &planter{from: from}
	if len(c.Workstations) == 0 {
		return p
	}
	p.hall = halls[windowHall[c.Workstations[0].Window]]
	if offered := hallItems[p.hall.Code]; len(offered) > 0 {
		p.item = offered[0]
	}
	if st := items[p.item].Stages; len(st) > 0 {
		p.stage = st[0].Code
	}
	for _, ws := range c.Workstations {
		if windowHall[ws.Window] == p.hall.Code {
			p.seats = append(p.seats, ws)
		}
	}
	return p
}

// move relocates r if it is one of the reviews to plant.
func (p *planter) move(r *review.Review) {
	if p.done >= planted || p.stage == "" || len(p.seats) < 2 || r.Comment == "" || r.CreatedAt.Before(p.from) {
		return
	}
	ws := p.seats[0]
	if p.done >= 3 {
		ws = p.seats[1+(p.done-3)%(len(p.seats)-1)]
	}
	if r.Channel != review.Window && r.Channel != review.Tablet && r.Channel != review.Kiosk {
		r.Channel = review.Window
	}
	r.Item, r.Stage = p.item, p.stage
	r.Workstation, r.Window, r.Hall, r.Staff = ws.Code, ws.Window, p.hall.Code, ws.Staff
	r.Unit, r.District = p.hall.Unit, p.hall.District
	// About service attitude, each in the citizen's own words.
	c := complaints[p.done%len(complaintThemes[0].situations)*len(complaintThemes[0].outcomes)]
	r.Comment = c.text
	r.Tags, _ = review.ParseTags([]string{string(review.Attitude)})
	p.done++
}
