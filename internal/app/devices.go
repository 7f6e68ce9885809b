package app

import (
	"time"

	"github.com/haocha/haocha/internal/console"
	"github.com/haocha/haocha/internal/device"
	"github.com/haocha/haocha/internal/transaction"
	"github.com/haocha/haocha/internal/web"
)

// openDevices makes the rating devices' service and the hub that wakes
// the devices connected to this process.
func (m *Main) openDevices() *web.Devices {
	m.deviceHub = &device.Hub{}
	// The store's clock as it is when asked: tests set it after Open.
	now := func() time.Time { return m.Store.Now() }
	m.Devices = &device.Service{Store: m.Store, Intake: m.Intake, Now: now, Wake: m.deviceHub.Wake}
	return &web.Devices{Service: m.Devices, Hub: m.deviceHub}
}

// wireDevices lets the console pair devices and invite ratings, and wakes
// a workstation's device when a transaction is reported for it.
func (m *Main) wireDevices(con *console.Console, transactions *transaction.Service) {
	con.Devices = m.Devices
	transactions.Reported = func(ts []*transaction.Transaction) {
		for _, t := range ts {
			if t.Workstation != "" {
				m.deviceHub.Wake(t.Workstation)
			}
		}
	}
}
